using ModelGen;

namespace ModelGen.Generator.Tests.SnapshotModels;

/// <summary>Dropout, a frozen layer, a stopped gradient edge and an output-only layer.</summary>
[Model(Seed = 23)]
public partial class GradientControlNet
{
    /// <summary>Features.</summary>
    [Input(4)]
    public partial InputLayer X { get; }

    /// <summary>Encoder, frozen at first.</summary>
    [Dense(4, From = nameof(X), Activation = Activation.Relu, Trainable = false)]
    public partial DenseLayer Encoder { get; }

    /// <summary>Dropout after the encoder.</summary>
    [Dropout(0.25, From = nameof(Encoder))]
    public partial DropoutLayer Dropped { get; }

    /// <summary>Code returned by Predict without a loss of its own.</summary>
    [Dense(2, From = nameof(Dropped))]
    [Output]
    public partial DenseLayer Code { get; }

    /// <summary>Sum of the encoder and the dropout output; no gradient flows back into the encoder through it.</summary>
    [StopGradient(nameof(Encoder))]
    [Add(nameof(Encoder), nameof(Dropped))]
    public partial AddLayer Mixed { get; }

    /// <summary>The only head.</summary>
    [Dense(1, From = nameof(Mixed))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Out { get; }
}
