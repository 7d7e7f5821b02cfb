using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelGen.Generator.Helpers;
using ModelGen.Generator.Model;

namespace ModelGen.Generator;

public sealed partial class ModelGenerator
{
    // The checks below mirror the names that ModelGenerator.Emitter.cs writes; keep the two in step.
    private sealed partial class Parser
    {
        /// <summary>Public members that every model gets, besides <c>Predict{Head}</c> and the training methods.</summary>
        private static readonly string[] s_generatedMembers =
            { "Losses", "Outputs", "Predict", "Parameters", "Layers", "Optimizer", "GetWeights", "SetWeights", "Describe", "TrainingMethods", "Dataset", "Fit", "Evaluate" };

        /// <summary>Members of the generated <c>Losses</c> and <c>Outputs</c> types that a head property would clash with.</summary>
        private static readonly Dictionary<string, string> s_resultTypeMembers = new(StringComparer.Ordinal)
        {
            ["Total"] = "the generated Losses struct already has a property 'Total' for the weighted sum",
            ["ToString"] = "the generated Losses struct overrides 'ToString'",
            ["Equals"] = "the generated Losses and Outputs types inherit 'Equals' from object",
            ["GetHashCode"] = "the generated Losses and Outputs types inherit 'GetHashCode' from object",
            ["GetType"] = "the generated Losses and Outputs types inherit 'GetType' from object",
            ["MemberwiseClone"] = "the generated Losses and Outputs types inherit 'MemberwiseClone' from object",
            ["ReferenceEquals"] = "the generated Losses and Outputs types inherit 'ReferenceEquals' from object",
            ["Finalize"] = "the generated Outputs class inherits 'Finalize' from object",
        };

        /// <summary>Names that generated method bodies declare, which an input's parameter would clash with.</summary>
        private static readonly Dictionary<string, string> s_inputReserved = new(StringComparer.Ordinal)
        {
            ["batch"] = "which the generated code already uses for the batch size",
            ["y"] = "which the generated layer steps already use for their outputs",
            ["preActivation"] = "which the generated layer steps already use for the pre-activation values",
            ["dropoutMask"] = "which the generated dropout steps already use for the mask",
            ["training"] = "which the generated dropout steps already use for a flag",
            ["dz"] = "which the generated backward steps already use for a gradient",
            ["dy"] = "which the generated backward steps already use for a gradient",
            ["weightGradient"] = "which the generated backward steps already use for a gradient",
            ["biasGradient"] = "which the generated backward steps already use for a gradient",
            ["updateParameters"] = "which the generated backward steps already use for a flag",
            ["addOutputGradient"] = "which the generated backward steps already use for a flag",
            ["weighted"] = "which the generated training methods already use for a flag",
            ["nameof"] = "which would hide the 'nameof' operator that the generated argument checks call",
        };

        /// <summary>Names that generated method bodies declare, which a head's parameter would clash with.</summary>
        private static readonly Dictionary<string, string> s_headReserved = new(StringComparer.Ordinal)
        {
            ["batch"] = "which the generated code already uses for the batch size",
            ["total"] = "which the generated Losses constructor already uses for the total loss",
            ["weighted"] = "which the generated training methods already use for a flag",
            ["nameof"] = "which would hide the 'nameof' operator that the generated argument checks call",
        };

        /// <summary>Names that generated method bodies declare, which the parameter of an <c>[Output]</c> layer would clash with.</summary>
        private static readonly Dictionary<string, string> s_outputReserved = new(StringComparer.Ordinal)
        {
            ["batch"] = "which the generated code already uses for the batch size",
            ["nameof"] = "which would hide the 'nameof' operator that the generated argument checks call",
        };

        /// <summary>
        /// Reports members that the user declares, or inherits, under a name that ModelGen generates (MG0017), and a
        /// model class named like one of its generated members (MG0024).
        /// </summary>
        private void CheckMemberCollisions(EquatableArray<EquatableArray<string>> subsets)
        {
            var generated = new HashSet<string>(s_generatedMembers, StringComparer.Ordinal);
            foreach (LayerSpec head in _layers.Where(l => l.Head is not null || l.IsOutput))
            {
                generated.Add("Predict" + head.Name);
            }

            foreach (EquatableArray<string> subset in subsets)
            {
                generated.Add(TrainingMethodName(subset));
            }

            string owner = $"'{_type.Name}'";
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
                        Report(DiagnosticDescriptors.MemberNameCollision, LocationInfo.From(location), owner, "constructor " + _type.Name + "(" + string.Join(", ", constructor.Parameters.Select(p => p.Type.ToDisplayString())) + ")");
                    }

                    continue;
                }

                if (generated.Contains(member.Name) || member.Name.StartsWith("__", StringComparison.Ordinal))
                {
                    LocationInfo? at = _declaredLayers.Contains(member.Name) ? PropertyLocation(member.Name) ?? LocationInfo.From(location) : LocationInfo.From(location);
                    Report(DiagnosticDescriptors.MemberNameCollision, at, owner, member.Name);
                }
            }

            // Inherited members: a generated member would hide them (CS0108) or fail to override them.
            LocationInfo? classLocation = LocationInfo.From(_declaration.Identifier.GetLocation());
            for (INamedTypeSymbol? baseType = _type.BaseType; baseType is not null && baseType.SpecialType != SpecialType.System_Object; baseType = baseType.BaseType)
            {
                foreach (ISymbol member in baseType.GetMembers())
                {
                    if (!member.IsImplicitlyDeclared && member.DeclaredAccessibility != Accessibility.Private && !(member is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor }) && generated.Contains(member.Name))
                    {
                        Report(DiagnosticDescriptors.MemberNameCollision, classLocation, $"Base class '{baseType.Name}' of '{_type.Name}'", member.Name);
                    }
                }
            }

            if (generated.Contains(_type.Name))
            {
                Report(DiagnosticDescriptors.GeneratedNameClash, classLocation, $"Model class '{_type.Name}' has the same name as its generated member '{_type.Name}', and C# forbids a member named like its enclosing type", "model class");
            }
        }

        /// <summary>
        /// Reports inputs and heads whose generated parameters clash with each other or with names that the
        /// generated method bodies declare, heads that clash with members of the result types, and training
        /// methods of two subsets that get the same name.
        /// </summary>
        private void CheckParameterNames(EquatableArray<EquatableArray<string>> subsets)
        {
            List<LayerSpec> parameters = _layers.Where(l => l.Kind == LayerKind.Input || l.Head is not null || l.IsOutput).ToList();
            var byParameter = new Dictionary<string, LayerSpec>(StringComparer.Ordinal);
            foreach (LayerSpec layer in parameters)
            {
                string parameter = Names.Camel(layer.Name);
                if (byParameter.TryGetValue(parameter, out LayerSpec? other))
                {
                    Report(DiagnosticDescriptors.GeneratedNameClash, PropertyLocation(layer.Name), $"{Capitalized(Role(other))} '{other.Name}' and {Role(layer)} '{layer.Name}' both become the parameter '{parameter}' of the generated methods", $"{Role(layer)} '{layer.Name}'");
                    continue;
                }

                byParameter[parameter] = layer;
                bool inResultTypes = layer.Head is not null || (layer.IsOutput && layer.Name != "Total");
                if (inResultTypes && s_resultTypeMembers.TryGetValue(layer.Name, out string? member))
                {
                    Report(DiagnosticDescriptors.GeneratedNameClash, PropertyLocation(layer.Name), $"{Capitalized(Role(layer))} '{layer.Name}' becomes a property of the generated result types, but {member}", $"{Role(layer)} '{layer.Name}'");
                    continue;
                }

                Dictionary<string, string> reserved = layer.Kind == LayerKind.Input ? s_inputReserved : layer.Head is not null ? s_headReserved : s_outputReserved;
                if (reserved.TryGetValue(parameter, out string? use))
                {
                    Report(DiagnosticDescriptors.GeneratedNameClash, PropertyLocation(layer.Name), $"{Capitalized(Role(layer))} '{layer.Name}' becomes the parameter '{parameter}', {use}", $"{Role(layer)} '{layer.Name}'");
                }
            }

            // Training methods declare locals named after heads and dense layers, and a sample-weight parameter per head,
            // which the generated Dataset constructor also takes after the input and head parameters.
            var trainingNames = new List<(string Name, string Use)>();
            foreach (LayerSpec head in _layers.Where(l => l.Head is not null))
            {
                trainingNames.Add(("loss" + head.Name, $"the loss of head '{head.Name}'"));
                trainingNames.Add(("labelled" + head.Name, $"a flag of head '{head.Name}'"));
                trainingNames.Add(("active" + head.Name, $"a flag of head '{head.Name}'"));
                trainingNames.Add((Names.Camel(head.Name) + "SampleWeights", $"the sample weights of head '{head.Name}'"));
            }

            foreach (LayerSpec dense in _layers.Where(l => l.Kind == LayerKind.Dense))
            {
                trainingNames.Add(("update" + dense.Name, $"a flag of layer '{dense.Name}'"));
            }

            foreach ((string name, string use) in trainingNames)
            {
                if (byParameter.TryGetValue(name, out LayerSpec? clash) && (clash.Kind == LayerKind.Input || clash.Head is not null))
                {
                    Report(DiagnosticDescriptors.GeneratedNameClash, PropertyLocation(clash.Name), $"{Capitalized(Role(clash))} '{clash.Name}' becomes the parameter '{name}', a name that the generated training methods already use for {use}", $"{Role(clash)} '{clash.Name}'");
                }
            }

            // Training method names join head names with 'And', so two subsets can spell the same name.
            var byMethod = new Dictionary<string, EquatableArray<string>>(StringComparer.Ordinal);
            foreach (EquatableArray<string> subset in subsets)
            {
                string method = TrainingMethodName(subset);
                if (byMethod.TryGetValue(method, out EquatableArray<string> first))
                {
                    string renamed = subset.FirstOrDefault(h => !first.Contains(h)) ?? subset[0];
                    Report(DiagnosticDescriptors.GeneratedNameClash, PropertyLocation(renamed), $"Heads {string.Join(" + ", first)} and heads {string.Join(" + ", subset)} both get the training method '{method}'", $"head '{renamed}'");
                    continue;
                }

                byMethod[method] = subset;
            }
        }

        /// <summary>
        /// Reports layers whose private fields, buffers or step methods would get the same name as those of another
        /// layer, e.g. the output buffer '__hiddenOutput' of 'Hidden' and the field of a layer 'HiddenOutput'.
        /// </summary>
        private void CheckPrivateNames(ModelGraph graph)
        {
            var owners = new Dictionary<string, string>(StringComparer.Ordinal);
            var fixedNames = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["__layers"] = "the layer list",
                ["__parameters"] = "the parameter list",
                ["__optimizer"] = "the optimizer",
                ["__update"] = "the parameters of one update",
                ["__trainingMethods"] = "the list of training methods",
            };
            foreach (EquatableArray<string> subset in graph.Model.Subsets)
            {
                fixedNames["__" + TrainingMethodName(subset)] = "a training method";
            }

            foreach (LayerSpec layer in graph.Model.Layers)
            {
                foreach (string name in PrivateNames(layer, graph))
                {
                    if (fixedNames.TryGetValue(name, out string? use))
                    {
                        Report(DiagnosticDescriptors.GeneratedNameClash, PropertyLocation(layer.Name), $"Layer '{layer.Name}' generates a private member '{name}', which ModelGen already uses for {use}", $"layer '{layer.Name}'");
                        break;
                    }

                    if (owners.TryGetValue(name, out string? owner) && owner != layer.Name)
                    {
                        Report(DiagnosticDescriptors.GeneratedNameClash, PropertyLocation(layer.Name), $"Layers '{owner}' and '{layer.Name}' both generate a private member named '{name}'", $"layer '{layer.Name}'");
                        break;
                    }

                    owners[name] = layer.Name;
                }
            }
        }

        private static IEnumerable<string> PrivateNames(LayerSpec layer, ModelGraph graph)
        {
            string field = Names.Field(layer.Name);
            yield return field;
            if (layer.Kind == LayerKind.Input)
            {
                yield break;
            }

            yield return field + "Output";
            yield return "__Forward" + layer.Name;
            if (graph.NeedsGradient(layer))
            {
                yield return "__Backward" + layer.Name;
            }

            if (graph.NeedsGradient(layer) || layer.Head is not null)
            {
                yield return field + "Gradient";
            }

            if (ModelGraph.KeepsPreActivation(layer))
            {
                yield return field + "PreActivation";
            }

            if (ModelGraph.IsFused(layer))
            {
                yield return field + "PreActivationGradient";
            }

            if (layer.Kind == LayerKind.Dropout)
            {
                yield return field + "Mask";
            }

            if (layer.Head is not null)
            {
                yield return "__Loss" + layer.Name;
            }
        }

        private static string Role(LayerSpec layer) => layer.Kind == LayerKind.Input ? "input" : layer.Head is not null ? "head" : "output";

        private static string Capitalized(string word) => char.ToUpperInvariant(word[0]) + word.Substring(1);
    }
}
