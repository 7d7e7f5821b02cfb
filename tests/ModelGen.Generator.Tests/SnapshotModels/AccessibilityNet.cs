using ModelGen;

namespace ModelGen.Generator.Tests.SnapshotModels;

/// <summary>A public model whose layer properties mix public, internal, protected internal and private.</summary>
[Model(Seed = 9)]
public partial class AccessibilityNet
{
    /// <summary>Features.</summary>
    [Input(2)]
    public partial InputLayer X { get; }

    /// <summary>An internal hidden layer.</summary>
    [Dense(3, From = nameof(X), Activation = Activation.Relu)]
    internal partial DenseLayer Hidden { get; }

    /// <summary>A private hidden layer.</summary>
    [Dense(3, From = nameof(Hidden), Activation = Activation.Tanh)]
    private partial DenseLayer Secret { get; }

    /// <summary>A protected internal head.</summary>
    [Dense(1, From = nameof(Secret))]
    [Head(Loss.MeanSquaredError)]
    protected internal partial DenseLayer Out { get; }
}
