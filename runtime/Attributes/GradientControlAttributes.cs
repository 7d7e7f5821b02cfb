using System;

namespace ModelGen;

/// <summary>
/// Stops back-propagation along the edge from the named source into this layer: the forward pass uses the
/// source's values, but training sends no gradient back along that edge. A subset of heads that reaches a layer
/// only through stopped edges does not update it.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class StopGradientAttribute : Attribute
{
    /// <summary>Stops the gradient from this layer into <paramref name="source"/>.</summary>
    /// <param name="source">Name of one of this layer's sources, written as <c>nameof(Property)</c>.</param>
    public StopGradientAttribute(string source) => Source = source;

    /// <summary>Name of the source whose edge is stopped.</summary>
    public string Source { get; }
}

/// <summary>
/// Marks a layer whose outputs <c>Predict</c> returns although it has no loss: no training method includes it
/// as a head, so it is never trained through its own output.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class OutputAttribute : Attribute
{
}

/// <summary>
/// Declares an inverted-dropout layer on a <c>partial</c> property of type <see cref="DropoutLayer"/>: during
/// training calls each value is zeroed with probability <see cref="Rate"/> and the others are scaled by
/// <c>1 / (1 - Rate)</c>; <c>Predict</c> passes values through unchanged. The masks are drawn from the model seed,
/// so training is reproducible.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class DropoutAttribute : Attribute
{
    /// <summary>Declares a dropout layer.</summary>
    /// <param name="rate">Probability of zeroing each value, in [0, 1).</param>
    public DropoutAttribute(double rate) => Rate = rate;

    /// <summary>Probability of zeroing each value.</summary>
    public double Rate { get; }

    /// <summary>Name of the layer or input this layer reads, written as <c>nameof(Property)</c>. Required.</summary>
    public string? From { get; set; }
}
