using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelGen.Generator.Helpers;
using ModelGen.Generator.Model;

namespace ModelGen.Generator;

public sealed partial class ModelGenerator
{
    /// <summary>Default of <c>ModelAttribute.MaxHeadsForAllSubsets</c>; keep equal to the runtime constant.</summary>
    internal const int DefaultMaxHeadsForAllSubsets = 4;

    /// <summary>Largest accepted <c>ModelAttribute.MaxHeadsForAllSubsets</c>; keep equal to the runtime constant.</summary>
    internal const int MaxAllowedHeadsForAllSubsets = 8;

    /// <summary>Most heads a model can have: the generated Fit and Evaluate select heads with the bits of an <c>int</c> mask.</summary>
    internal const int MaxHeads = 31;

    private sealed partial class Parser
    {
        /// <summary>
        /// Chooses the subsets of heads that get a training method: every non-empty subset up to the subset
        /// limit, else all heads, each single head and each valid <c>[TrainSubset]</c>. Subsets list head names in
        /// declaration order and are ordered by size, then by the declaration order of their heads.
        /// </summary>
        private EquatableArray<EquatableArray<string>> ReadSubsets()
        {
            List<LayerSpec> heads = _layers.Where(l => l.Head is not null).ToList();
            var headIndex = new Dictionary<string, int>();
            for (int i = 0; i < heads.Count; i++)
            {
                headIndex[heads[i].Name] = i;
            }

            if (heads.Count > MaxHeads)
            {
                Report(DiagnosticDescriptors.TooManyHeads, AttributeLocation(_modelAttributes[0]), _type.Name, heads.Count, MaxHeads);
                return EquatableArray<EquatableArray<string>>.Empty;
            }

            int limit = ReadSubsetLimit();
            bool everySubset = heads.Count <= limit;
            var chosen = new List<int[]>();
            if (everySubset)
            {
                for (int mask = 1; mask < (1 << heads.Count); mask++)
                {
                    chosen.Add(Enumerable.Range(0, heads.Count).Where(i => (mask & (1 << i)) != 0).ToArray());
                }
            }
            else
            {
                chosen.AddRange(Enumerable.Range(0, heads.Count).Select(i => new[] { i }));
                chosen.Add(Enumerable.Range(0, heads.Count).ToArray());
                long all = (1L << heads.Count) - 1;
                Report(
                    DiagnosticDescriptors.SubsetLimitExceeded,
                    AttributeLocation(_modelAttributes[0]),
                    _type.Name,
                    heads.Count,
                    limit,
                    TrainingMethodName(heads.Select(h => h.Name)),
                    all.ToString(CultureInfo.InvariantCulture));
            }

            var keys = new HashSet<string>(chosen.Select(SubsetKey));
            foreach (AttributeData attribute in _type.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == TrainSubsetAttributeName))
            {
                _cancellationToken.ThrowIfCancellationRequested();
                int[]? subset = ReadSubset(attribute, headIndex);
                if (subset is null)
                {
                    continue;
                }

                if (keys.Add(SubsetKey(subset)))
                {
                    chosen.Add(subset);
                    continue;
                }

                string reason = subset.Length == heads.Count
                    ? "trains every head and is always generated"
                    : everySubset
                        ? $"is generated already, because the model has no more heads than MaxHeadsForAllSubsets ({limit})"
                        : "an earlier [TrainSubset] already requests";
                Report(DiagnosticDescriptors.SubsetAlreadyGenerated, AttributeLocation(attribute), TrainingMethodName(subset.Select(i => heads[i].Name)), reason);
            }

            chosen.Sort(CompareSubsets);
            return chosen.Select(s => s.Select(i => heads[i].Name).ToEquatableArray()).ToEquatableArray();
        }

        private int ReadSubsetLimit()
        {
            if (NamedModelArgument("MaxHeadsForAllSubsets") is not int requested)
            {
                return DefaultMaxHeadsForAllSubsets;
            }

            if (requested is >= 1 and <= MaxAllowedHeadsForAllSubsets)
            {
                return requested;
            }

            LocationInfo? location = NamedArgumentLocation(_modelAttributes[0], "MaxHeadsForAllSubsets") ?? AttributeLocation(_modelAttributes[0]);
            Report(DiagnosticDescriptors.InvalidSubsetLimit, location, _type.Name, requested, MaxAllowedHeadsForAllSubsets);
            return DefaultMaxHeadsForAllSubsets;
        }

        /// <summary>Reads one <c>[TrainSubset]</c> into sorted head indices, or reports why it cannot be used.</summary>
        private int[]? ReadSubset(AttributeData attribute, Dictionary<string, int> headIndex)
        {
            TypedConstant argument = attribute.ConstructorArguments.FirstOrDefault();
            if (HasBindingErrors(attribute) || argument.Kind != TypedConstantKind.Array)
            {
                // The compiler reports the broken attribute.
                _hasErrors = true;
                return null;
            }

            ImmutableArray<TypedConstant> values = argument.IsNull ? ImmutableArray<TypedConstant>.Empty : argument.Values;
            var members = new List<int>();
            bool valid = true;
            for (int i = 0; i < values.Length; i++)
            {
                string? name = values[i].Value as string;
                LocationInfo? location = SourceArgumentLocation(attribute, i, values.Length);
                if (name is not null && headIndex.TryGetValue(name, out int index))
                {
                    if (members.Contains(index))
                    {
                        Report(DiagnosticDescriptors.SubsetRepeatsHead, location, name);
                        valid = false;
                    }
                    else
                    {
                        members.Add(index);
                    }
                }
                else if (name is not null && _declaredHeads.Contains(name))
                {
                    // A head that failed to read has its own diagnostic.
                    valid = false;
                }
                else
                {
                    Report(DiagnosticDescriptors.UnknownSubsetHead, location, name ?? "null", _type.Name, UnknownHeadHint(name));
                    valid = false;
                }
            }

            if (!valid)
            {
                return null;
            }

            if (members.Count < 2)
            {
                Report(DiagnosticDescriptors.SubsetTooSmall, AttributeLocation(attribute), members.Count);
                return null;
            }

            members.Sort();
            return members.ToArray();
        }

        private string UnknownHeadHint(string? name)
        {
            if (name is not null && _declaredLayers.Contains(name))
            {
                return $"; '{name}' is a layer without [Head]";
            }

            string? closest = Closest(name ?? string.Empty, _declaredHeads);
            return closest is null ? string.Empty : $"; did you mean '{closest}'?";
        }

        private static string SubsetKey(int[] subset) => string.Join(",", subset);

        private static int CompareSubsets(int[] a, int[] b)
        {
            if (a.Length != b.Length)
            {
                return a.Length.CompareTo(b.Length);
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return a[i].CompareTo(b[i]);
                }
            }

            return 0;
        }
    }

    /// <summary>Returns the name of the training method for <paramref name="heads"/>, as the emitter writes it.</summary>
    private static string TrainingMethodName(IEnumerable<string> heads) => "TrainOn" + string.Join("And", heads);
}
