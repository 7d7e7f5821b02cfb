using ModelGen;

// A model in the global namespace is the case under test here.
#pragma warning disable CA1050

/// <summary>A model declared outside any namespace.</summary>
[Model(Seed = 11)]
public partial class GlobalNamespaceNet
{
    /// <summary>Features.</summary>
    [Input(2)]
    public partial InputLayer X { get; }

    /// <summary>The only head.</summary>
    [Dense(1, From = nameof(X), Activation = Activation.Sigmoid)]
    [Head(Loss.BinaryCrossEntropy)]
    public partial DenseLayer Probability { get; }
}
