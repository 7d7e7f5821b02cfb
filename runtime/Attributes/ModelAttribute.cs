using System;

namespace ModelGen;

/// <summary>
/// Marks a <c>partial</c> class as a network definition. The ModelGen source generator reads the layer
/// attributes on its <c>partial</c> properties and emits the constructor, the forward and backward passes,
/// one <c>TrainOn…</c> method per subset of heads, and <c>Predict</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ModelAttribute : Attribute
{
    /// <summary>
    /// Seed of the weight initialisation used by the parameterless constructor. The same seed gives
    /// bit-identical initial weights on every run and machine. Defaults to 0.
    /// </summary>
    public int Seed { get; set; }
}
