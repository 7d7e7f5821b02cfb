using System;

namespace ModelGen;

/// <summary>
/// Declares a fully connected layer on a <c>partial</c> property of type <see cref="DenseLayer"/>:
/// <c>y = activation(W·x + b)</c>, where <c>W</c> is [units, inputs] as PyTorch's <c>nn.Linear</c> stores it.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>Declares a dense layer with <paramref name="units"/> outputs per sample.</summary>
    /// <param name="units">Number of output units; must be positive.</param>
    public DenseAttribute(int units) => Units = units;

    /// <summary>Number of output units.</summary>
    public int Units { get; }

    /// <summary>Name of the layer or input this layer reads, written as <c>nameof(Property)</c>. Required.</summary>
    public string? From { get; set; }

    /// <summary>Activation applied to the affine output. Defaults to <see cref="Activation.Linear"/>.</summary>
    public Activation Activation { get; set; }

    /// <summary>Slope of <see cref="Activation.LeakyRelu"/> for negative inputs. Defaults to 0.01, as in PyTorch.</summary>
    public float NegativeSlope { get; set; } = 0.01f;

    /// <summary>
    /// Whether training updates this layer at first; the generated layer's <c>Trainable</c> property changes it
    /// at run time. A frozen layer still passes gradients to the layers it reads. Defaults to <see langword="true"/>.
    /// </summary>
    public bool Trainable { get; set; } = true;
}
