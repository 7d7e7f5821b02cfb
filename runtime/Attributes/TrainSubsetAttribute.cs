using System;

namespace ModelGen;

/// <summary>
/// Requests a training method for a set of heads that the generator does not emit by default. A model with
/// more heads than <see cref="ModelAttribute.MaxHeadsForAllSubsets"/> gets only the method that trains every
/// head and one method per head; each <c>[TrainSubset]</c> on the class adds one more, e.g.
/// <c>[TrainSubset(nameof(A), nameof(C))]</c> adds <c>TrainOnAAndC</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class TrainSubsetAttribute : Attribute
{
    /// <summary>Requests a method that trains <paramref name="heads"/> together.</summary>
    /// <param name="heads">
    /// Two or more head names, written as <c>nameof(Property)</c>. Their order does not matter: the method name
    /// and parameters follow the declaration order of the heads.
    /// </param>
    public TrainSubsetAttribute(params string[] heads) => Heads = heads;

    /// <summary>Names of the heads that the requested method trains.</summary>
    public string[] Heads { get; }
}
