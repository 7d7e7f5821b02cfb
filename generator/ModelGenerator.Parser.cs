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
    private const string TrainSubsetAttributeName = "ModelGen.TrainSubsetAttribute";

    /// <summary>Largest number of elements of one .NET array (<c>Array.MaxLength</c>), which netstandard2.0 lacks.</summary>
    private const long MaxArrayLength = 0x7FFFFFC7;

    private static readonly ModelParseResult s_emptyResult =
        new(null, EquatableArray<DiagnosticInfo>.Empty, null, EquatableArray<PropertyStubSpec>.Empty);

    /// <summary>
    /// Reads a <c>[Model]</c> class into a <see cref="ModelParseResult"/>. Works on half-typed code: anything
    /// it cannot read becomes a diagnostic or is skipped (the compiler reports its own errors). An unexpected
    /// exception becomes diagnostic MG0999 instead of failing the whole generator.
    /// </summary>
    internal static ModelParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration)
        {
            return s_emptyResult;
        }

        try
        {
            var parser = new Parser(type, declaration, context.Attributes, cancellationToken);
            return parser.Run();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            DiagnosticInfo diagnostic = DiagnosticInfo.Create(
                DiagnosticDescriptors.InternalError,
                LocationInfo.From(declaration.Identifier.GetLocation()),
                "read model",
                type.Name,
                exception.GetType().Name,
                exception.Message);
            return new ModelParseResult(null, ImmutableArray.Create(diagnostic).ToEquatableArray(), null, EquatableArray<PropertyStubSpec>.Empty);
        }
    }

    private sealed partial class Parser
    {
        private readonly INamedTypeSymbol _type;
        private readonly TypeDeclarationSyntax _declaration;
        private readonly ImmutableArray<AttributeData> _modelAttributes;
        private readonly CancellationToken _cancellationToken;
        private readonly List<DiagnosticInfo> _diagnostics = new();
        private readonly List<LayerSpec> _layers = new();
        private readonly List<PropertyStubSpec> _stubs = new();

        // Names of every property with a layer attribute or [Head], including those that failed to read, so that
        // a reference to a broken layer is not reported a second time as unknown.
        private readonly HashSet<string> _declaredLayers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _declaredHeads = new(StringComparer.Ordinal);

        // Property names declared more than once (CS0102); they get neither a layer nor a stub.
        private readonly HashSet<string> _seenProperties = new(StringComparer.Ordinal);
        private readonly HashSet<string> _duplicateProperties = new(StringComparer.Ordinal);

        // Locations for diagnostics reported after reading, keyed by layer name ("layer\0source" for sources).
        private readonly Dictionary<string, LocationInfo?> _sourceLocations = new();
        private readonly Dictionary<string, LocationInfo?> _propertyLocations = new();
        private readonly Dictionary<string, LocationInfo?> _lossLocations = new();
        private readonly Dictionary<string, LocationInfo?> _activationLocations = new();
        private readonly Dictionary<string, LocationInfo?> _headLocations = new();
        private TypeShellSpec _shell = null!;
        private bool _declaresInput;
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
            // A type that [Model] cannot apply to (the compiler reports CS0592), or a second partial declaration that
            // repeats [Model] (CS0579): only the first [Model] declaration is read, so each class is generated once.
            if (_type.TypeKind != TypeKind.Class || !IsFirstModelDeclaration())
            {
                return s_emptyResult;
            }

            // The class and its containers must be partial, or nothing can be added to them.
            if (!CheckModelClass(out ImmutableArray<ContainingTypeSpec> containingTypes))
            {
                return new ModelParseResult(null, _diagnostics.ToEquatableArray(), null, EquatableArray<PropertyStubSpec>.Empty);
            }

            _shell = new TypeShellSpec(
                NamespaceName(_type.ContainingNamespace),
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

            // Graph-wide checks need every layer; the size and name checks need a sound graph.
            List<LayerSpec>? resolved = CheckGraph();
            EquatableArray<EquatableArray<string>> subsets = ReadSubsets();
            CheckMemberCollisions(subsets);
            CheckParameterNames(subsets);
            if (_hasErrors || resolved is null)
            {
                return Result(null);
            }

            int seed = NamedModelArgument("Seed") is int value ? value : 0;
            var model = new ModelSpec(_shell, seed, resolved.ToEquatableArray(), subsets);
            CheckPrivateNames(new ModelGraph(model));
            return Result(_hasErrors ? null : model);
        }

        private ModelParseResult Result(ModelSpec? model) => model is null
            ? new(null, _diagnostics.ToEquatableArray(), _shell, _stubs.Where(s => !_duplicateProperties.Contains(s.Name)).ToEquatableArray())
            : new(model, _diagnostics.ToEquatableArray(), null, EquatableArray<PropertyStubSpec>.Empty);

        private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params object?[] arguments)
        {
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));
            _hasErrors |= descriptor.DefaultSeverity == DiagnosticSeverity.Error;
        }

        private bool IsFirstModelDeclaration()
        {
            SyntaxReference? first = _type.GetAttributes()
                .FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == ModelAttributeName)?
                .ApplicationSyntaxReference;
            return first is null || (first.SyntaxTree == _declaration.SyntaxTree && _declaration.Span.Contains(first.Span));
        }

        private bool CheckModelClass(out ImmutableArray<ContainingTypeSpec> containingTypes)
        {
            containingTypes = ImmutableArray<ContainingTypeSpec>.Empty;
            if (HasMissingName())
            {
                // Half-typed code such as 'namespace {' or 'partial class {': the compiler reports it, and a
                // generated part could not name the class.
                return false;
            }

            LocationInfo? classLocation = LocationInfo.From(_declaration.Identifier.GetLocation());
            bool valid = true;
            if (!_declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                Report(DiagnosticDescriptors.ModelNotPartial, classLocation, _type.Name);
                valid = false;
            }

            var containers = new List<ContainingTypeSpec>();
            for (SyntaxNode? parent = _declaration.Parent; parent is TypeDeclarationSyntax outer; parent = outer.Parent)
            {
                if (!outer.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    Report(DiagnosticDescriptors.ContainingTypeNotPartial, LocationInfo.From(outer.Identifier.GetLocation()), _type.Name, outer.Identifier.ValueText);
                    valid = false;
                }

                containers.Insert(0, new ContainingTypeSpec(ContainerKeyword(outer), Names.Escape(outer.Identifier.ValueText) + TypeParameterList(outer.TypeParameterList)));
            }

            if (_type.IsStatic)
            {
                Report(DiagnosticDescriptors.UnsupportedModelClass, classLocation, _type.Name, "is static, but a model holds its layers in instance fields; remove 'static'");
                valid = false;
            }

            if (_type.IsFileLocal)
            {
                Report(DiagnosticDescriptors.UnsupportedModelClass, classLocation, _type.Name, "is file-local, so its generated part cannot live in another file; remove 'file'");
                valid = false;
            }

            TypeDeclarationSyntax? withPrimaryConstructor = _type.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax(_cancellationToken))
                .OfType<TypeDeclarationSyntax>()
                .FirstOrDefault(d => d.ParameterList is not null);
            if (withPrimaryConstructor is not null)
            {
                Report(
                    DiagnosticDescriptors.UnsupportedModelClass,
                    LocationInfo.From(withPrimaryConstructor.ParameterList),
                    _type.Name,
                    "has a primary constructor, which the generated constructors would have to call; declare a regular constructor instead");
                valid = false;
            }

            containingTypes = containers.ToImmutableArray();
            return valid;
        }

        private bool HasMissingName()
        {
            for (SyntaxNode? node = _declaration; node is not null; node = node.Parent)
            {
                bool missing = node switch
                {
                    BaseTypeDeclarationSyntax type => type.Identifier.IsMissing || type.Identifier.ValueText.Length == 0,
                    BaseNamespaceDeclarationSyntax ns => ns.Name.IsMissing || ns.Name.DescendantTokens().Any(t => t.IsMissing),
                    _ => false,
                };
                if (missing)
                {
                    return true;
                }
            }

            return false;
        }

        private static string ContainerKeyword(TypeDeclarationSyntax outer)
        {
            // 'ref' must appear on every part of a ref struct; other modifiers may be left to the user's part.
            string prefix = outer.Modifiers.Any(SyntaxKind.RefKeyword) ? "ref " : string.Empty;
            return prefix + outer switch
            {
                RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
                RecordDeclarationSyntax => "record",
                _ => outer.Keyword.ValueText,
            };
        }

        private void ReadProperty(IPropertySymbol property)
        {
            if (!_seenProperties.Add(property.Name))
            {
                // The compiler reports the duplicate member; a generated part for either would add errors.
                _duplicateProperties.Add(property.Name);
                _hasErrors = true;
                return;
            }

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

            if (head is not null)
            {
                _declaredHeads.Add(property.Name);
            }

            if (layerAttributes.Count == 0)
            {
                if (head is not null)
                {
                    Report(DiagnosticDescriptors.HeadWithoutLayer, AttributeLocation(head), property.Name);
                }
                else
                {
                    CheckUnattributedLayer(property);
                }

                return;
            }

            _declaredLayers.Add(property.Name);
            AttributeData attribute = layerAttributes[0];
            string attributeName = ShortName(attribute);
            _declaresInput |= attributeName == "Input";
            string expectedType = attributeName switch
            {
                "Input" => "InputLayer",
                "Dense" => "DenseLayer",
                "Concatenate" => "ConcatenateLayer",
                "Dropout" => "DropoutLayer",
                _ => "AddLayer",
            };
            BasePropertyDeclarationSyntax? declaration = property.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax(_cancellationToken))
                .OfType<BasePropertyDeclarationSyntax>()
                .FirstOrDefault();
            if (declaration is not PropertyDeclarationSyntax syntax)
            {
                if (declaration is IndexerDeclarationSyntax indexer)
                {
                    Report(DiagnosticDescriptors.InvalidLayerProperty, LocationInfo.From(indexer.ThisKeyword.GetLocation()), property.Name, "is an indexer", expectedType);
                }
                else
                {
                    _hasErrors = true;
                }

                return;
            }

            LocationInfo? propertyLocation = LocationInfo.From(syntax.Identifier.GetLocation());
            _propertyLocations[property.Name] = propertyLocation;
            if (layerAttributes.Count > 1)
            {
                Report(DiagnosticDescriptors.ConflictingAttributes, AttributeLocation(layerAttributes[1]), property.Name, attributeName, ShortName(layerAttributes[1]));
                return;
            }

            if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                Report(DiagnosticDescriptors.PropertyNotPartial, propertyLocation, property.Name, expectedType);
                return;
            }

            string modifiers = string.Join(" ", syntax.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.ValueText));
            if (!CheckPropertyShape(property, syntax, propertyLocation, modifiers, expectedType))
            {
                return;
            }

            if (property.Type.TypeKind == TypeKind.Error)
            {
                // The compiler reports the unknown type; no stub, because its type cannot be written.
                _hasErrors = true;
                return;
            }

            _stubs.Add(new PropertyStubSpec(property.Name, modifiers, property.Type.ToDisplayString(s_stubTypeFormat)));
            if (property.IsStatic)
            {
                Report(DiagnosticDescriptors.InvalidLayerProperty, propertyLocation, property.Name, "is static", expectedType);
                return;
            }

            if (property.Type.ToDisplayString() != "ModelGen." + expectedType)
            {
                Report(DiagnosticDescriptors.WrongPropertyType, LocationInfo.From(syntax.Type), property.Name, attributeName, expectedType, property.Type.ToDisplayString());
                return;
            }

            if (HasBindingErrors(attribute))
            {
                // The attribute does not bind (half-typed or mistyped arguments); the compiler already reports it.
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

        /// <summary>
        /// Reports a partial property of a layer type without a layer attribute: most likely a forgotten attribute,
        /// which the compiler would only report as a partial property without an implementation (CS9248).
        /// </summary>
        private void CheckUnattributedLayer(IPropertySymbol property)
        {
            string? example = property.Type.ToDisplayString() switch
            {
                "ModelGen.InputLayer" => "[Input(size)]",
                "ModelGen.DenseLayer" => "[Dense(units, From = nameof(...))]",
                "ModelGen.ConcatenateLayer" => "[Concatenate(nameof(...), nameof(...))]",
                "ModelGen.AddLayer" => "[Add(nameof(...), nameof(...))]",
                "ModelGen.DropoutLayer" => "[Dropout(rate, From = nameof(...))]",
                _ => null,
            };
            if (example is null
                || property.PartialImplementationPart is not null
                || property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellationToken) is not PropertyDeclarationSyntax syntax
                || !syntax.Modifiers.Any(SyntaxKind.PartialKeyword)
                || syntax.ExpressionBody is not null
                || syntax.AccessorList is not { } accessors
                || accessors.Accessors.Any(a => a.Body is not null || a.ExpressionBody is not null))
            {
                return;
            }

            Report(DiagnosticDescriptors.MissingLayerAttribute, LocationInfo.From(syntax.Identifier.GetLocation()), property.Name, property.Type.Name, example);
            if (accessors.Accessors.Count == 1 && accessors.Accessors[0].IsKind(SyntaxKind.GetAccessorDeclaration) && accessors.Accessors[0].Modifiers.Count == 0)
            {
                string modifiers = string.Join(" ", syntax.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.ValueText));
                _stubs.Add(new PropertyStubSpec(property.Name, modifiers, property.Type.ToDisplayString(s_stubTypeFormat)));
            }
        }

        /// <summary>
        /// Checks that a partial layer property is a declaration ModelGen can implement: get-only, with no body
        /// of its own and no implementation part elsewhere. Returns false after reporting when it is not.
        /// </summary>
        private bool CheckPropertyShape(IPropertySymbol property, PropertyDeclarationSyntax syntax, LocationInfo? location, string modifiers, string expectedType)
        {
            string declaration = (modifiers.Length == 0 ? "public" : modifiers);
            if (syntax.ExpressionBody is not null || syntax.AccessorList?.Accessors.Any(a => a.Body is not null || a.ExpressionBody is not null) == true)
            {
                Report(DiagnosticDescriptors.PropertyAlreadyImplemented, location, property.Name, declaration, expectedType);
                return false;
            }

            if (property.PartialImplementationPart is { } implementation)
            {
                Report(DiagnosticDescriptors.PropertyAlreadyImplemented, LocationInfo.From(implementation.Locations.FirstOrDefault()), property.Name, declaration, expectedType);
                return false;
            }

            SyntaxList<AccessorDeclarationSyntax> accessors = syntax.AccessorList?.Accessors ?? default;
            string? problem =
                accessors.Any(a => a.IsKind(SyntaxKind.SetAccessorDeclaration)) ? "has a 'set' accessor"
                : accessors.Any(a => a.IsKind(SyntaxKind.InitAccessorDeclaration)) ? "has an 'init' accessor"
                : !accessors.Any(a => a.IsKind(SyntaxKind.GetAccessorDeclaration)) ? "has no 'get' accessor"
                : null;
            if (problem is not null)
            {
                Report(DiagnosticDescriptors.InvalidLayerProperty, location, property.Name, problem, expectedType);
                return false;
            }

            // Anything else odd about the accessors (a modifier, an unknown accessor kind) is a compiler error.
            if (accessors.Count != 1 || accessors[0].Modifiers.Count != 0 || accessors[0].Keyword.IsMissing)
            {
                _hasErrors = true;
                return false;
            }

            return true;
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

            bool valid = true;
            if (units <= 0)
            {
                Report(DiagnosticDescriptors.NonPositiveSize, ArgumentLocation(attribute, 0), "Units", property.Name, units);
                valid = false;
            }

            var activation = ActivationKind.Linear;
            if (NamedArgument(attribute, "Activation") is int activationValue)
            {
                LocationInfo? location = NamedArgumentLocation(attribute, "Activation") ?? AttributeLocation(attribute);
                _activationLocations[property.Name] = location;
                if (!Enum.IsDefined(typeof(ActivationKind), activationValue))
                {
                    ReportUndefined("Activation", property.Name, "Activation", activationValue, typeof(ActivationKind), location);
                    valid = false;
                }

                activation = (ActivationKind)activationValue;
            }

            string? from = NamedArgument(attribute, "From") as string;
            if (string.IsNullOrEmpty(from))
            {
                Report(DiagnosticDescriptors.MissingSource, NamedArgumentLocation(attribute, "From") ?? AttributeLocation(attribute), property.Name, "set 'From = nameof(...)' to an input or layer");
                return null;
            }

            float slope = NamedArgument(attribute, "NegativeSlope") is float s ? s : 0.01f;
            if (float.IsNaN(slope) || float.IsInfinity(slope))
            {
                Report(DiagnosticDescriptors.InvalidNegativeSlope, NamedArgumentLocation(attribute, "NegativeSlope") ?? AttributeLocation(attribute), property.Name, slope.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                valid = false;
            }

            if (!valid)
            {
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
                Report(DiagnosticDescriptors.MissingSource, NamedArgumentLocation(attribute, "From") ?? AttributeLocation(attribute), property.Name, "set 'From = nameof(...)' to an input or layer");
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
                Report(DiagnosticDescriptors.HeadOnInput, AttributeLocation(output), property.Name, "is an input");
                return null;
            }

            return layer with { IsOutput = true };
        }

        private LayerSpec? ReadStopGradients(IPropertySymbol property, LayerSpec layer, List<AttributeData> stopGradients)
        {
            var stopped = new List<string>();
            foreach (AttributeData stop in stopGradients)
            {
                if (HasBindingErrors(stop) || stop.ConstructorArguments.FirstOrDefault().Value is not string source)
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
            if (argument.Kind != TypedConstantKind.Array)
            {
                _hasErrors = true;
                return null;
            }

            string example = $"list two or more inputs or layers, e.g. [{kind}(nameof(A), nameof(B))]";
            if (argument.IsNull)
            {
                Report(DiagnosticDescriptors.MissingSource, ArgumentLocation(attribute, 0), property.Name, "the list of sources is null; " + example);
                return null;
            }

            ImmutableArray<TypedConstant> values = argument.Values;
            if (values.Length < 2)
            {
                Report(DiagnosticDescriptors.TooFewSources, AttributeLocation(attribute), kind.ToString(), property.Name, values.Length);
                return null;
            }

            var sources = new string[values.Length];
            bool valid = true;
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i].Value is not string source || source.Length == 0)
                {
                    string problem = values[i].Value is null ? "null" : "empty";
                    Report(DiagnosticDescriptors.MissingSource, SourceArgumentLocation(attribute, i, values.Length), property.Name, $"source {i + 1} is {problem}; " + example);
                    valid = false;
                    continue;
                }

                sources[i] = source;
                string key = property.Name + "\0" + source;
                if (!_sourceLocations.ContainsKey(key))
                {
                    _sourceLocations[key] = SourceArgumentLocation(attribute, i, values.Length);
                }
            }

            if (!valid)
            {
                return null;
            }

            // A source listed twice is legal but most likely a typo for another layer.
            foreach (IGrouping<string, int> repeated in Enumerable.Range(0, sources.Length).GroupBy(i => sources[i]).Where(g => g.Count() > 1))
            {
                int count = repeated.Count();
                string effect = kind == LayerKind.Add
                    ? $"the sum counts '{repeated.Key}' {count} times"
                    : $"its output repeats the values of '{repeated.Key}'";
                Report(DiagnosticDescriptors.DuplicateSource, SourceArgumentLocation(attribute, repeated.ElementAt(1), values.Length), kind.ToString(), property.Name, repeated.Key, count, effect);
            }

            // The size is derived from the sources once every layer is known.
            return new LayerSpec(property.Name, kind, 0, ActivationKind.Linear, sources.ToEquatableArray(), null, modifiers);
        }

        private LayerSpec? ReadHead(IPropertySymbol property, LayerSpec layer, AttributeData head)
        {
            if (HasBindingErrors(head) || head.ConstructorArguments.FirstOrDefault().Value is not int lossValue)
            {
                _hasErrors = true;
                return null;
            }

            LocationInfo? headLocation = AttributeLocation(head);
            LocationInfo? lossLocation = ArgumentLocation(head, 0);
            _headLocations[property.Name] = headLocation;
            _lossLocations[property.Name] = lossLocation;
            if (!Enum.IsDefined(typeof(LossKind), lossValue))
            {
                ReportUndefined("Loss", property.Name, "Loss", lossValue, typeof(LossKind), lossLocation);
                return null;
            }

            if (layer.Kind == LayerKind.Input)
            {
                Report(DiagnosticDescriptors.HeadOnInput, headLocation, property.Name, "is an input");
                return null;
            }

            float weight = NamedArgument(head, "Weight") is float w ? w : 1f;
            if (float.IsNaN(weight) || float.IsInfinity(weight) || weight < 0)
            {
                Report(DiagnosticDescriptors.InvalidHeadWeight, NamedArgumentLocation(head, "Weight") ?? headLocation, property.Name, weight.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                return null;
            }

            float delta = NamedArgument(head, "HuberDelta") is float d ? d : 1f;
            if (!(delta > 0) || float.IsInfinity(delta))
            {
                Report(DiagnosticDescriptors.InvalidHuberDelta, NamedArgumentLocation(head, "HuberDelta") ?? headLocation, property.Name, delta.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                return null;
            }

            return layer with { Head = new HeadSpec((LossKind)lossValue, weight, delta) };
        }

        private void ReportUndefined(string argumentName, string layer, string enumName, int value, Type enumType, LocationInfo? location)
        {
            string names = string.Join(", ", Enum.GetNames(enumType).Select(n => enumName + "." + n));
            Report(DiagnosticDescriptors.UndefinedEnumValue, location, argumentName, layer, enumName, value.ToString(System.Globalization.CultureInfo.InvariantCulture), names);
        }

        /// <summary>
        /// Whether the compiler could not bind the attribute or one of its arguments; it reports those errors
        /// itself, so ModelGen stays silent about them.
        /// </summary>
        private bool HasBindingErrors(AttributeData attribute)
        {
            if (attribute.AttributeConstructor is null
                || attribute.ConstructorArguments.Any(IsError)
                || attribute.NamedArguments.Any(a => IsError(a.Value)))
            {
                return true;
            }

            // A named argument that does not bind is missing from NamedArguments.
            return attribute.ApplicationSyntaxReference?.GetSyntax(_cancellationToken) is AttributeSyntax { ArgumentList: { } list }
                && list.Arguments.Count(a => a.NameEquals is not null) != attribute.NamedArguments.Length;

            static bool IsError(TypedConstant constant) =>
                constant.Kind == TypedConstantKind.Error || (constant.Kind == TypedConstantKind.Array && !constant.IsNull && constant.Values.Any(IsError));
        }

        private object? NamedModelArgument(string name) =>
            _modelAttributes.SelectMany(a => a.NamedArguments).Where(a => a.Key == name).Select(a => a.Value.Value).FirstOrDefault();

        private LocationInfo? SourceLocation(LayerSpec layer, string source) =>
            _sourceLocations.TryGetValue(layer.Name + "\0" + source, out LocationInfo? location) ? location : PropertyLocation(layer.Name);

        private LocationInfo? PropertyLocation(string name) =>
            _propertyLocations.TryGetValue(name, out LocationInfo? location) ? location : null;

        private static LocationInfo? Lookup(Dictionary<string, LocationInfo?> locations, string name, LocationInfo? fallback) =>
            locations.TryGetValue(name, out LocationInfo? location) && location is not null ? location : fallback;

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

        /// <summary>
        /// Location of element <paramref name="index"/> of a <c>params string[]</c> argument: the element itself
        /// when the names are written one by one, else the whole argument (e.g. an explicit array).
        /// </summary>
        private LocationInfo? SourceArgumentLocation(AttributeData attribute, int index, int count)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax(_cancellationToken) is AttributeSyntax { ArgumentList: { } list })
            {
                AttributeArgumentSyntax[] positional = list.Arguments.Where(a => a.NameEquals is null && a.NameColon is null).ToArray();
                if (positional.Length == count && index < positional.Length)
                {
                    return LocationInfo.From(positional[index]);
                }

                if (positional.Length == 1)
                {
                    return LocationInfo.From(positional[0]);
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

        private static readonly SymbolDisplayFormat s_stubTypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private static string? NamespaceName(INamespaceSymbol? ns)
        {
            var parts = new List<string>();
            for (INamespaceSymbol? current = ns; current is { IsGlobalNamespace: false }; current = current.ContainingNamespace)
            {
                parts.Insert(0, Names.Escape(current.Name));
            }

            return parts.Count == 0 ? null : string.Join(".", parts);
        }

        private static string TypeNameWithParameters(INamedTypeSymbol type) =>
            type.TypeParameters.Length == 0
                ? Names.Escape(type.Name)
                : Names.Escape(type.Name) + "<" + string.Join(", ", type.TypeParameters.Select(p => Names.Escape(p.Name))) + ">";

        private static string TypeParameterList(TypeParameterListSyntax? list) =>
            list is null
                ? string.Empty
                : "<" + string.Join(", ", list.Parameters.Select(p => (p.VarianceKeyword.IsKind(SyntaxKind.None) ? string.Empty : p.VarianceKeyword.ValueText + " ") + Names.Escape(p.Identifier.ValueText))) + ">";

        /// <summary>
        /// Returns a file name stem that no other type shares: the namespace with '.', containing types with '+'
        /// and the generic arity after '`', as in metadata names, e.g. <c>Demo.Outer+Net`1</c>.
        /// </summary>
        private static string HintName(INamedTypeSymbol type)
        {
            string name = type.MetadataName;
            for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                name = outer.MetadataName + "+" + name;
            }

            for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
            {
                name = ns.Name + "." + name;
            }

            return name;
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
