using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelGen.Generator.Helpers;
using ModelGen.Generator.Model;

namespace ModelGen.Generator;

public sealed partial class ModelGenerator
{
    internal const string ModelAttributeName = "ModelGen.ModelAttribute";
    private const string InputAttributeName = "ModelGen.InputAttribute";
    private const string DenseAttributeName = "ModelGen.DenseAttribute";
    private const string ConcatenateAttributeName = "ModelGen.ConcatenateAttribute";
    private const string AddAttributeName = "ModelGen.AddAttribute";
    private const string HeadAttributeName = "ModelGen.HeadAttribute";
    private const string DropoutAttributeName = "ModelGen.DropoutAttribute";
    private const string StopGradientAttributeName = "ModelGen.StopGradientAttribute";
    private const string OutputAttributeName = "ModelGen.OutputAttribute";

    /// <summary>
    /// Reads a <c>[Model]</c> class into a <see cref="ModelParseResult"/>. Works on half-typed code: anything
    /// it cannot read becomes a diagnostic or is skipped (the compiler reports its own errors), never an
    /// exception.
    /// </summary>
    internal static ModelParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration)
        {
            return new ModelParseResult(null, EquatableArray<DiagnosticInfo>.Empty, null, EquatableArray<PropertyStubSpec>.Empty);
        }

        var parser = new Parser(type, declaration, context.Attributes, cancellationToken);
        return parser.Run();
    }

    private sealed class Parser
    {
        private readonly INamedTypeSymbol _type;
        private readonly TypeDeclarationSyntax _declaration;
        private readonly ImmutableArray<AttributeData> _modelAttributes;
        private readonly CancellationToken _cancellationToken;
        private readonly List<DiagnosticInfo> _diagnostics = new();
        private readonly List<LayerSpec> _layers = new();
        private readonly List<PropertyStubSpec> _stubs = new();
        private readonly Dictionary<string, LocationInfo?> _sourceLocations = new();
        private readonly Dictionary<string, LocationInfo?> _propertyLocations = new();
        private TypeShellSpec _shell = null!;
        private bool _hasErrors;

        public Parser(INamedTypeSymbol type, TypeDeclarationSyntax declaration, ImmutableArray<AttributeData> modelAttributes, CancellationToken cancellationToken)
        {
            _type = type;
            _declaration = declaration;
            _modelAttributes = modelAttributes;
            _cancellationToken = cancellationToken;
        }

        public ModelParseResult Run()
        {
            // The class and its containers must be partial, or nothing can be added to them.
            if (!CheckPartial(out ImmutableArray<ContainingTypeSpec> containingTypes))
            {
                return new ModelParseResult(null, _diagnostics.ToEquatableArray(), null, EquatableArray<PropertyStubSpec>.Empty);
            }

            _shell = new TypeShellSpec(
                _type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
                containingTypes.ToEquatableArray(),
                TypeNameWithParameters(_type),
                _type.IsRecord ? "record" : "class",
                HintName(_type));

            // Each property with a layer attribute becomes a LayerSpec.
            foreach (IPropertySymbol property in _type.GetMembers().OfType<IPropertySymbol>())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                ReadProperty(property);
            }

            // Graph-wide checks need every layer.
            CheckGraph();
            CheckMemberCollisions();
            if (_hasErrors)
            {
                return Result(null);
            }

            int seed = _modelAttributes
                .SelectMany(a => a.NamedArguments)
                .Where(a => a.Key == "Seed" && a.Value.Value is int)
                .Select(a => (int)a.Value.Value!)
                .FirstOrDefault();
            return Result(new ModelSpec(_shell, seed, ResolveSizes(_layers).ToEquatableArray()));
        }

        private ModelParseResult Result(ModelSpec? model) => model is null
            ? new(null, _diagnostics.ToEquatableArray(), _shell, _stubs.ToEquatableArray())
            : new(model, _diagnostics.ToEquatableArray(), null, EquatableArray<PropertyStubSpec>.Empty);

        private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params object?[] arguments)
        {
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));
            _hasErrors |= descriptor.DefaultSeverity == DiagnosticSeverity.Error;
        }

        private bool CheckPartial(out ImmutableArray<ContainingTypeSpec> containingTypes)
        {
            containingTypes = ImmutableArray<ContainingTypeSpec>.Empty;
            if (!_declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                Report(DiagnosticDescriptors.ModelNotPartial, LocationInfo.From(_declaration.Identifier.GetLocation()), _type.Name);
                return false;
            }

            var containers = new List<ContainingTypeSpec>();
            for (SyntaxNode? parent = _declaration.Parent; parent is TypeDeclarationSyntax outer; parent = outer.Parent)
            {
                if (!outer.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    Report(DiagnosticDescriptors.ModelNotPartial, LocationInfo.From(outer.Identifier.GetLocation()), outer.Identifier.ValueText);
                    return false;
                }

                string keyword = outer switch
                {
                    RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
                    RecordDeclarationSyntax => "record",
                    _ => outer.Keyword.ValueText,
                };
                containers.Insert(0, new ContainingTypeSpec(keyword, outer.Identifier.ValueText + outer.TypeParameterList?.ToString()));
            }

            containingTypes = containers.ToImmutableArray();
            return true;
        }

        private void ReadProperty(IPropertySymbol property)
        {
            var layerAttributes = new List<AttributeData>();
            var stopGradients = new List<AttributeData>();
            AttributeData? head = null;
            AttributeData? output = null;
            foreach (AttributeData candidate in property.GetAttributes())
            {
                switch (candidate.AttributeClass?.ToDisplayString())
                {
                    case InputAttributeName or DenseAttributeName or ConcatenateAttributeName or AddAttributeName or DropoutAttributeName:
                        layerAttributes.Add(candidate);
                        break;
                    case HeadAttributeName:
                        head = candidate;
                        break;
                    case StopGradientAttributeName:
                        stopGradients.Add(candidate);
                        break;
                    case OutputAttributeName:
                        output = candidate;
                        break;
                }
            }

            if (layerAttributes.Count == 0)
            {
                if (head is not null)
                {
                    Report(DiagnosticDescriptors.HeadWithoutLayer, AttributeLocation(head), property.Name);
                }

                return;
            }

            PropertyDeclarationSyntax? syntax = property.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax(_cancellationToken))
                .OfType<PropertyDeclarationSyntax>()
                .FirstOrDefault();
            if (syntax is null)
            {
                return;
            }

            LocationInfo? propertyLocation = LocationInfo.From(syntax.Identifier.GetLocation());
            _propertyLocations[property.Name] = propertyLocation;
            AttributeData attribute = layerAttributes[0];
            string attributeName = ShortName(attribute);
            if (layerAttributes.Count > 1)
            {
                Report(DiagnosticDescriptors.ConflictingAttributes, AttributeLocation(layerAttributes[1]), property.Name, attributeName, ShortName(layerAttributes[1]));
                return;
            }

            bool isPartial = syntax.Modifiers.Any(SyntaxKind.PartialKeyword);
            string expectedType = "ModelGen." + attributeName switch
            {
                "Input" => "InputLayer",
                "Dense" => "DenseLayer",
                "Concatenate" => "ConcatenateLayer",
                "Dropout" => "DropoutLayer",
                _ => "AddLayer",
            };
            if (!isPartial)
            {
                Report(DiagnosticDescriptors.PropertyNotPartial, propertyLocation, property.Name, expectedType.Substring("ModelGen.".Length));
                return;
            }

            string modifiers = string.Join(" ", syntax.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.ValueText));
            if (syntax.AccessorList is { } accessors && accessors.Accessors.Count == 1 && accessors.Accessors[0].IsKind(SyntaxKind.GetAccessorDeclaration) && property.Type.TypeKind != TypeKind.Error)
            {
                _stubs.Add(new PropertyStubSpec(property.Name, modifiers, property.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)));
            }

            if (property.IsStatic)
            {
                Report(DiagnosticDescriptors.StaticProperty, propertyLocation, property.Name);
                return;
            }

            if (property.Type.TypeKind != TypeKind.Error && property.Type.ToDisplayString() != expectedType)
            {
                Report(DiagnosticDescriptors.WrongPropertyType, LocationInfo.From(syntax.Type), property.Name, attributeName, expectedType.Substring("ModelGen.".Length), property.Type.ToDisplayString());
                return;
            }

            if (attribute.AttributeConstructor is null)
            {
                // The attribute does not bind (half-typed arguments); the compiler already reports it.
                _hasErrors = true;
                return;
            }

            LayerSpec? layer = attributeName switch
            {
                "Input" => ReadInput(property, attribute, modifiers),
                "Dense" => ReadDense(property, attribute, modifiers),
                "Dropout" => ReadDropout(property, attribute, modifiers),
                _ => ReadMerge(property, attribute, modifiers, attributeName == "Add" ? LayerKind.Add : LayerKind.Concatenate),
            };
            if (layer is null)
            {
                return;
            }

            if (head is not null)
            {
                layer = ReadHead(property, layer, head);
            }

            if (layer is not null && output is not null)
            {
                layer = ReadOutput(property, layer, head, output);
            }

            if (layer is not null && stopGradients.Count > 0)
            {
                layer = ReadStopGradients(property, layer, stopGradients);
            }

            if (layer is not null)
            {
                _layers.Add(layer);
            }
        }

        private LayerSpec? ReadInput(IPropertySymbol property, AttributeData attribute, string modifiers)
        {
            if (attribute.ConstructorArguments.FirstOrDefault().Value is not int size)
            {
                _hasErrors = true;
                return null;
            }

            if (size <= 0)
            {
                Report(DiagnosticDescriptors.NonPositiveSize, ArgumentLocation(attribute, 0), "Size", property.Name, size);
                return null;
            }

            return new LayerSpec(property.Name, LayerKind.Input, size, ActivationKind.Linear, EquatableArray<string>.Empty, null, modifiers);
        }

        private LayerSpec? ReadDense(IPropertySymbol property, AttributeData attribute, string modifiers)
        {
            if (attribute.ConstructorArguments.FirstOrDefault().Value is not int units)
            {
                _hasErrors = true;
                return null;
            }

            if (units <= 0)
            {
                Report(DiagnosticDescriptors.NonPositiveSize, ArgumentLocation(attribute, 0), "Units", property.Name, units);
                return null;
            }

            string? from = NamedArgument(attribute, "From") as string;
            var activation = ActivationKind.Linear;
            if (NamedArgument(attribute, "Activation") is int activationValue)
            {
                if (!Enum.IsDefined(typeof(ActivationKind), activationValue))
                {
                    _hasErrors = true;
                    return null;
                }

                activation = (ActivationKind)activationValue;
            }

            if (string.IsNullOrEmpty(from))
            {
                Report(DiagnosticDescriptors.MissingSource, AttributeLocation(attribute), property.Name);
                return null;
            }

            float slope = NamedArgument(attribute, "NegativeSlope") is float s ? s : 0.01f;
            if (float.IsNaN(slope) || float.IsInfinity(slope))
            {
                Report(DiagnosticDescriptors.InvalidNegativeSlope, NamedArgumentLocation(attribute, "NegativeSlope") ?? AttributeLocation(attribute), property.Name, slope.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                return null;
            }

            _sourceLocations[property.Name + "\0" + from] = NamedArgumentLocation(attribute, "From") ?? AttributeLocation(attribute);
            return new LayerSpec(property.Name, LayerKind.Dense, units, activation, ImmutableArray.Create(from!).ToEquatableArray(), null, modifiers)
            {
                NegativeSlope = slope,
                Trainable = NamedArgument(attribute, "Trainable") is not false,
            };
        }

        private LayerSpec? ReadDropout(IPropertySymbol property, AttributeData attribute, string modifiers)
        {
            if (attribute.ConstructorArguments.FirstOrDefault().Value is not double rate)
            {
                _hasErrors = true;
                return null;
            }

            if (!(rate >= 0 && rate < 1))
            {
                Report(DiagnosticDescriptors.InvalidDropoutRate, ArgumentLocation(attribute, 0), property.Name, rate.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                return null;
            }

            if (NamedArgument(attribute, "From") is not string { Length: > 0 } from)
            {
                Report(DiagnosticDescriptors.MissingSource, AttributeLocation(attribute), property.Name);
                return null;
            }

            _sourceLocations[property.Name + "\0" + from] = NamedArgumentLocation(attribute, "From") ?? AttributeLocation(attribute);

            // The size is the source's, derived once every layer is known.
            return new LayerSpec(property.Name, LayerKind.Dropout, 0, ActivationKind.Linear, ImmutableArray.Create(from).ToEquatableArray(), null, modifiers)
            {
                DropoutRate = rate,
            };
        }

        private LayerSpec? ReadOutput(IPropertySymbol property, LayerSpec layer, AttributeData? head, AttributeData output)
        {
            if (head is not null)
            {
                Report(DiagnosticDescriptors.OutputOnHead, AttributeLocation(output), property.Name);
                return null;
            }

            if (layer.Kind == LayerKind.Input)
            {
                Report(DiagnosticDescriptors.HeadOnInput, AttributeLocation(output), property.Name);
                return null;
            }

            return layer with { IsOutput = true };
        }

        private LayerSpec? ReadStopGradients(IPropertySymbol property, LayerSpec layer, List<AttributeData> stopGradients)
        {
            var stopped = new List<string>();
            foreach (AttributeData stop in stopGradients)
            {
                if (stop.AttributeConstructor is null || stop.ConstructorArguments.FirstOrDefault().Value is not string source)
                {
                    _hasErrors = true;
                    return null;
                }

                if (!layer.Sources.Contains(source))
                {
                    Report(DiagnosticDescriptors.StopGradientNotSource, ArgumentLocation(stop, 0), property.Name, source, layer.Sources.Count == 0 ? "(none)" : string.Join(", ", layer.Sources));
                    return null;
                }

                if (!stopped.Contains(source))
                {
                    stopped.Add(source);
                }
            }

            return layer with { StoppedSources = stopped.ToEquatableArray() };
        }

        private LayerSpec? ReadMerge(IPropertySymbol property, AttributeData attribute, string modifiers, LayerKind kind)
        {
            TypedConstant argument = attribute.ConstructorArguments.FirstOrDefault();
            if (argument.Kind != TypedConstantKind.Array || argument.Values.Any(v => v.Value is not string s || s.Length == 0))
            {
                _hasErrors = true;
                return null;
            }

            string[] sources = argument.Values.Select(v => (string)v.Value!).ToArray();
            if (sources.Length < 2)
            {
                Report(DiagnosticDescriptors.TooFewSources, AttributeLocation(attribute), kind.ToString(), property.Name, sources.Length);
                return null;
            }

            for (int i = 0; i < sources.Length; i++)
            {
                _sourceLocations[property.Name + "\0" + sources[i]] = ArgumentLocation(attribute, i) ?? AttributeLocation(attribute);
            }

            // The size is derived from the sources once every layer is known.
            return new LayerSpec(property.Name, kind, 0, ActivationKind.Linear, sources.ToEquatableArray(), null, modifiers);
        }

        private LayerSpec? ReadHead(IPropertySymbol property, LayerSpec layer, AttributeData head)
        {
            if (head.AttributeConstructor is null || head.ConstructorArguments.FirstOrDefault().Value is not int lossValue || !Enum.IsDefined(typeof(LossKind), lossValue))
            {
                _hasErrors = true;
                return null;
            }

            if (layer.Kind == LayerKind.Input)
            {
                Report(DiagnosticDescriptors.HeadOnInput, AttributeLocation(head), property.Name);
                return null;
            }

            float weight = NamedArgument(head, "Weight") is float w ? w : 1f;
            if (float.IsNaN(weight) || float.IsInfinity(weight) || weight < 0)
            {
                Report(DiagnosticDescriptors.InvalidHeadWeight, NamedArgumentLocation(head, "Weight") ?? AttributeLocation(head), property.Name, weight.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                return null;
            }

            float delta = NamedArgument(head, "HuberDelta") is float d ? d : 1f;
            if (!(delta > 0) || float.IsInfinity(delta))
            {
                Report(DiagnosticDescriptors.InvalidHuberDelta, NamedArgumentLocation(head, "HuberDelta") ?? AttributeLocation(head), property.Name, delta.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                return null;
            }

            return layer with { Head = new HeadSpec((LossKind)lossValue, weight, delta) };
        }

        private void CheckGraph()
        {
            if (_layers.Count == 0 && _hasErrors)
            {
                return;
            }

            LocationInfo? classLocation = LocationInfo.From(_declaration.Identifier.GetLocation());
            if (!_layers.Any(l => l.Kind == LayerKind.Input) && !_hasErrors)
            {
                Report(DiagnosticDescriptors.NoInput, classLocation, _type.Name);
            }

            if (!_layers.Any(l => l.Head is not null || l.IsOutput) && !_hasErrors)
            {
                Report(DiagnosticDescriptors.NoHead, classLocation, _type.Name);
            }

            // Unknown names, with the closest known name as a suggestion.
            var names = new HashSet<string>(_layers.Select(l => l.Name));
            bool unknown = false;
            foreach (LayerSpec layer in _layers)
            {
                foreach (string source in layer.Sources.Where(s => !names.Contains(s)))
                {
                    string? closest = Closest(source, names.Where(n => n != layer.Name));
                    Report(DiagnosticDescriptors.UnknownSource, SourceLocation(layer, source), layer.Name, source, _type.Name, closest is null ? string.Empty : $"; did you mean '{closest}'?");
                    unknown = true;
                }
            }

            if (unknown || _hasErrors)
            {
                return;
            }

            if (FindCycle() is { } cycle)
            {
                Report(DiagnosticDescriptors.Cycle, _propertyLocations[cycle[0]], string.Join(" -> ", cycle));
                return;
            }

            List<LayerSpec> resolved = ResolveSizes(_layers);
            var byName = resolved.ToDictionary(l => l.Name);
            foreach (LayerSpec layer in resolved)
            {
                if (layer.Kind == LayerKind.Add)
                {
                    LayerSpec first = byName[layer.Sources[0]];
                    foreach (LayerSpec other in layer.Sources.Skip(1).Select(s => byName[s]).Where(o => o.Size != first.Size))
                    {
                        Report(DiagnosticDescriptors.AddSizeMismatch, SourceLocation(layer, other.Name), layer.Name, first.Name, first.Size, other.Name, other.Size);
                    }
                }

                if (layer.Head is { Loss: LossKind.SparseCategoricalCrossEntropy } && layer.Size < 2)
                {
                    Report(DiagnosticDescriptors.CrossEntropyOnOneUnit, _propertyLocations[layer.Name], layer.Name, layer.Size);
                }
            }

            // Warn about nodes no head reads.
            var reached = new HashSet<string>();
            var pending = new Stack<string>(_layers.Where(l => l.Head is not null || l.IsOutput).Select(l => l.Name));
            while (pending.Count > 0)
            {
                string name = pending.Pop();
                if (reached.Add(name))
                {
                    foreach (string source in byName[name].Sources)
                    {
                        pending.Push(source);
                    }
                }
            }

            foreach (LayerSpec layer in _layers.Where(l => !reached.Contains(l.Name)))
            {
                Report(DiagnosticDescriptors.UnusedLayer, _propertyLocations[layer.Name], layer.Name);
            }
        }

        private List<string>? FindCycle()
        {
            var byName = _layers.ToDictionary(l => l.Name);
            var state = new Dictionary<string, int>();
            var path = new List<string>();

            List<string>? Visit(string name)
            {
                state.TryGetValue(name, out int s);
                if (s == 2)
                {
                    return null;
                }

                if (s == 1)
                {
                    int start = path.IndexOf(name);
                    return path.Skip(start).Concat(new[] { name }).ToList();
                }

                state[name] = 1;
                path.Add(name);
                foreach (string source in byName[name].Sources)
                {
                    if (Visit(source) is { } cycle)
                    {
                        return cycle;
                    }
                }

                path.RemoveAt(path.Count - 1);
                state[name] = 2;
                return null;
            }

            foreach (LayerSpec layer in _layers)
            {
                if (Visit(layer.Name) is { } cycle)
                {
                    // Reverse so that the cycle reads in data-flow order (source -> consumer).
                    cycle.Reverse();
                    return cycle;
                }
            }

            return null;
        }

        private void CheckMemberCollisions()
        {
            var generated = new HashSet<string>(StringComparer.Ordinal)
            {
                "Losses", "Outputs", "Predict", "Parameters", "Layers", "Optimizer", "GetWeights", "SetWeights", "Describe", "TrainingMethods",
            };
            foreach (LayerSpec head in _layers.Where(l => l.Head is not null || l.IsOutput))
            {
                generated.Add("Predict" + head.Name);
            }

            List<LayerSpec> heads = _layers.Where(l => l.Head is not null).ToList();
            if (heads.Count <= 12)
            {
                for (int mask = 1; mask < (1 << heads.Count); mask++)
                {
                    generated.Add("TrainOn" + string.Join("And", heads.Where((_, i) => (mask & (1 << i)) != 0).Select(h => h.Name)));
                }
            }

            var layerNames = new HashSet<string>(_layers.Select(l => l.Name));
            foreach (ISymbol member in _type.GetMembers())
            {
                if (member.IsImplicitlyDeclared || member.Locations.FirstOrDefault() is not { IsInSource: true } location)
                {
                    continue;
                }

                if (member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor)
                {
                    if (constructor.Parameters.Length == 0 || (constructor.Parameters.Length == 1 && constructor.Parameters[0].Type.SpecialType == SpecialType.System_Int32))
                    {
                        Report(DiagnosticDescriptors.MemberNameCollision, LocationInfo.From(location), _type.Name, "constructor " + _type.Name + "(" + string.Join(", ", constructor.Parameters.Select(p => p.Type.ToDisplayString())) + ")");
                    }

                    continue;
                }

                if (generated.Contains(member.Name) || (layerNames.Contains(member.Name) && member is not IPropertySymbol) || member.Name.StartsWith("__", StringComparison.Ordinal))
                {
                    Report(DiagnosticDescriptors.MemberNameCollision, LocationInfo.From(location), _type.Name, member.Name);
                }
            }

            foreach (LayerSpec layer in _layers.Where(l => generated.Contains(l.Name)))
            {
                Report(DiagnosticDescriptors.MemberNameCollision, _propertyLocations[layer.Name], _type.Name, layer.Name);
            }
        }

        private static List<LayerSpec> ResolveSizes(List<LayerSpec> layers)
        {
            var byName = layers.ToDictionary(l => l.Name);
            var resolved = new Dictionary<string, LayerSpec>();

            LayerSpec Resolve(LayerSpec layer)
            {
                if (resolved.TryGetValue(layer.Name, out LayerSpec? done))
                {
                    return done;
                }

                LayerSpec result = layer;
                if (layer.Kind is LayerKind.Concatenate or LayerKind.Add or LayerKind.Dropout)
                {
                    int[] sizes = layer.Sources.Select(s => Resolve(byName[s]).Size).ToArray();
                    result = layer with { Size = layer.Kind == LayerKind.Add ? sizes.Max() : sizes.Sum() };
                }

                resolved[layer.Name] = result;
                return result;
            }

            return layers.Select(Resolve).ToList();
        }

        private LocationInfo? SourceLocation(LayerSpec layer, string source) =>
            _sourceLocations.TryGetValue(layer.Name + "\0" + source, out LocationInfo? location) ? location : _propertyLocations[layer.Name];

        private LocationInfo? AttributeLocation(AttributeData attribute) =>
            LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(_cancellationToken));

        private LocationInfo? ArgumentLocation(AttributeData attribute, int index)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax(_cancellationToken) is AttributeSyntax { ArgumentList: { } list })
            {
                AttributeArgumentSyntax[] positional = list.Arguments.Where(a => a.NameEquals is null && a.NameColon is null).ToArray();
                if (index < positional.Length)
                {
                    return LocationInfo.From(positional[index]);
                }
            }

            return AttributeLocation(attribute);
        }

        private LocationInfo? NamedArgumentLocation(AttributeData attribute, string name)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax(_cancellationToken) is AttributeSyntax { ArgumentList: { } list })
            {
                AttributeArgumentSyntax? argument = list.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
                if (argument is not null)
                {
                    return LocationInfo.From(argument.Expression);
                }
            }

            return null;
        }

        private static object? NamedArgument(AttributeData attribute, string name) =>
            attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value;

        private static string ShortName(AttributeData attribute)
        {
            string name = attribute.AttributeClass?.Name ?? string.Empty;
            return name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
        }

        private static string TypeNameWithParameters(INamedTypeSymbol type) =>
            type.TypeParameters.Length == 0 ? type.Name : type.Name + "<" + string.Join(", ", type.TypeParameters.Select(p => p.Name)) + ">";

        private static string HintName(INamedTypeSymbol type)
        {
            string name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty);
            return new string(name.Select(c => char.IsLetterOrDigit(c) || c == '.' || c == '_' ? c : '_').ToArray());
        }

        private static string? Closest(string name, IEnumerable<string> candidates)
        {
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (string candidate in candidates.OrderBy(c => c, StringComparer.Ordinal))
            {
                int distance = EditDistance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
                if (distance < bestDistance)
                {
                    best = candidate;
                    bestDistance = distance;
                }
            }

            return best is not null && bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
        }

        private static int EditDistance(string a, string b)
        {
            int[] previous = Enumerable.Range(0, b.Length + 1).ToArray();
            for (int i = 1; i <= a.Length; i++)
            {
                int[] current = new int[b.Length + 1];
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                    current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
                }

                previous = current;
            }

            return previous[b.Length];
        }
    }
}
