using System;

namespace ModelGen;

/// <summary>
/// Marks a layer as an output head trained with <see cref="Loss"/>. The generator emits one training method
/// per non-empty subset of heads, and each head gets a property in the generated <c>Losses</c> and
/// <c>Outputs</c> types.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class HeadAttribute : Attribute
{
    /// <summary>Marks the layer as a head trained with <paramref name="loss"/>.</summary>
    /// <param name="loss">Loss between this layer's output and its target.</param>
    public HeadAttribute(Loss loss) => Loss = loss;

    /// <summary>Loss between the layer's output and its target.</summary>
    public Loss Loss { get; }

    /// <summary>
    /// Factor of this head's loss in the total that training minimises. Defaults to 1. A head of weight 0 changes
    /// nothing when trained. The generated model can change it at run time through <c>Layer.Head.Weight</c>.
    /// </summary>
    public float Weight { get; set; } = 1f;

    /// <summary>Threshold of <see cref="Loss.Huber"/> between its quadratic and linear parts. Defaults to 1.</summary>
    public float HuberDelta { get; set; } = 1f;
}
