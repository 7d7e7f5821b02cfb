using System;
using ModelGen.Optimizers;

namespace ModelGen;

/// <summary>
/// A trainable tensor: its values, the gradient of the last training call that reached it, and the state its
/// optimizer keeps for it.
/// </summary>
public sealed class Parameter
{
    private readonly int[] _shape;

    /// <summary>Creates a zero-filled parameter.</summary>
    /// <param name="name">Name in the <c>Layer.weight</c> / <c>Layer.bias</c> form PyTorch uses.</param>
    /// <param name="shape">Dimensions, outermost first; each must be positive.</param>
    public Parameter(string name, params int[] shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0)
        {
            throw new ArgumentException($"Parameter '{name}' needs at least one dimension.", nameof(shape));
        }

        int length = 1;
        foreach (int dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension, nameof(shape));
            length = checked(length * dimension);
        }

        Name = name;
        _shape = (int[])shape.Clone();
        Value = new float[length];
        Gradient = new float[length];
    }

    /// <summary>Name in the <c>Layer.weight</c> / <c>Layer.bias</c> form PyTorch uses.</summary>
    public string Name { get; }

    /// <summary>Dimensions, outermost first: [units, inputs] for a weight matrix, [units] for a bias.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Number of elements.</summary>
    public int Length => Value.Length;

    /// <summary>Values, row-major. Writable, so that weights can be inspected or set in place.</summary>
    public float[] Value { get; }

    /// <summary>
    /// Gradient of the loss with respect to <see cref="Value"/>, written by the last training call that
    /// reached this parameter and read by the optimizer.
    /// </summary>
    public float[] Gradient { get; }

    /// <summary>
    /// State the optimizer keeps for this parameter (step count, moments), or <see langword="null"/> before its
    /// first update. Replacing the model's optimizer starts a fresh state on the next update.
    /// </summary>
    public OptimizerState? OptimizerState { get; internal set; }

    /// <summary>Returns the shape in the <c>[a, b]</c> form used in messages.</summary>
    public string FormatShape() => "[" + string.Join(", ", _shape) + "]";
}
