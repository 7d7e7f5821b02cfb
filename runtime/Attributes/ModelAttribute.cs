using System;

namespace ModelGen;

/// <summary>
/// Marks a <c>partial</c> class as a network definition. The ModelGen source generator reads the layer
/// attributes on its <c>partial</c> properties and emits the constructor, the forward and backward passes,
/// <c>TrainOn…</c> methods for subsets of heads (see <see cref="MaxHeadsForAllSubsets"/>), and <c>Predict</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ModelAttribute : Attribute
{
    /// <summary>
    /// Seed of the weight initialisation used by the parameterless constructor. The same seed gives
    /// bit-identical initial weights on every run and machine. Defaults to 0.
    /// </summary>
    public int Seed { get; set; }

    /// <summary>
    /// Largest number of heads for which the generator emits one training method per non-empty subset of heads
    /// (2^n - 1 methods for n heads). A model with more heads gets the method that trains every head, one method
    /// per head, and one per <see cref="TrainSubsetAttribute"/> on the class. Defaults to
    /// <see cref="DefaultMaxHeadsForAllSubsets"/>; the generator accepts values from 1 to
    /// <see cref="MaxAllowedHeadsForAllSubsets"/>.
    /// </summary>
    public int MaxHeadsForAllSubsets { get; set; } = DefaultMaxHeadsForAllSubsets;

    /// <summary>Default of <see cref="MaxHeadsForAllSubsets"/>: 4 heads, so at most 15 training methods.</summary>
    public const int DefaultMaxHeadsForAllSubsets = 4;

    /// <summary>
    /// Largest value the generator accepts for <see cref="MaxHeadsForAllSubsets"/>: 8 heads, so at most 255
    /// training methods, which keeps the generated file and its compile time bounded.
    /// </summary>
    public const int MaxAllowedHeadsForAllSubsets = 8;
}
