using System;
using System.Collections.Generic;
using ModelGen.Initialization;

namespace ModelGen;

/// <summary>
/// A fully connected layer, <c>y = activation(W·x + b)</c>, with <see cref="Weights"/> stored as
/// [units, inputs] row-major (the layout of PyTorch's <c>nn.Linear.weight</c>).
/// </summary>
public sealed class DenseLayer : Layer
{
    private readonly Parameter[] _parameters;

    /// <summary>Creates a layer with zero weights and bias.</summary>
    /// <param name="name">Property name of the layer.</param>
    /// <param name="source">The layer or input it reads.</param>
    /// <param name="units">Output units.</param>
    /// <param name="activation">Activation applied to <c>W·x + b</c>.</param>
    /// <param name="negativeSlope">Slope of <see cref="Activation.LeakyRelu"/> for negative inputs.</param>
    public DenseLayer(string name, Layer source, int units, Activation activation, float negativeSlope = 0.01f)
        : base(name, units, [source])
    {
        if (!float.IsFinite(negativeSlope))
        {
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "The negative slope must be finite.");
        }

        Inputs = source.Size;
        Activation = activation;
        NegativeSlope = negativeSlope;
        WeightParameter = new Parameter(name + ".weight", units, Inputs);
        BiasParameter = new Parameter(name + ".bias", units);
        _parameters = [WeightParameter, BiasParameter];
    }

    /// <summary>Values per sample of the layer this layer reads.</summary>
    public int Inputs { get; }

    /// <summary>Output units; the same as <see cref="Layer.Size"/>.</summary>
    public int Units => Size;

    /// <summary>Activation applied to <c>W·x + b</c>.</summary>
    public Activation Activation { get; }

    /// <summary>Slope of <see cref="Activation.LeakyRelu"/> for negative inputs.</summary>
    public float NegativeSlope { get; }

    /// <summary>
    /// Whether training updates this layer. A frozen layer (<see langword="false"/>) still passes gradients to the
    /// layers it reads, as in Keras and PyTorch, but its weights, bias and optimizer state never change. Takes
    /// effect on the next training call.
    /// </summary>
    public bool Trainable { get; set; } = true;

    /// <summary>Weight matrix, [units, inputs] row-major: element (o, i) is at <c>o * Inputs + i</c>.</summary>
    public float[] Weights => WeightParameter.Value;

    /// <summary>Bias, one value per unit.</summary>
    public float[] Bias => BiasParameter.Value;

    /// <summary>The weight matrix with its gradient and optimizer state.</summary>
    public Parameter WeightParameter { get; }

    /// <summary>The bias with its gradient and optimizer state.</summary>
    public Parameter BiasParameter { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>
    /// Sets Glorot-uniform weights (limit <c>sqrt(6 / (inputs + units))</c>, as Keras's default) and a zero bias,
    /// drawn from a stream derived from <paramref name="seed"/> and the layer's name, so that adding or renaming
    /// another layer does not change this one.
    /// </summary>
    /// <param name="seed">Model seed.</param>
    public void Initialize(int seed)
    {
        WeightInitializer.GlorotUniform(Weights, Inputs, Units, seed, Name);
        Array.Clear(Bias);
    }
}
