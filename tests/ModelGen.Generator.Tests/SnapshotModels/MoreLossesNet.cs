using ModelGen;

namespace ModelGen.Generator.Tests.SnapshotModels;

/// <summary>The Huber loss with a non-default threshold, and categorical cross-entropy on one-hot targets.</summary>
[Model(Seed = 17)]
public partial class MoreLossesNet
{
    /// <summary>Features.</summary>
    [Input(3)]
    public partial InputLayer X { get; }

    /// <summary>Robust regression.</summary>
    [Dense(2, From = nameof(X))]
    [Head(Loss.Huber, HuberDelta = 0.5f)]
    public partial DenseLayer Robust { get; }

    /// <summary>One class of three, trained on one-hot targets.</summary>
    [Dense(3, From = nameof(X), Activation = Activation.Softmax)]
    [Head(Loss.CategoricalCrossEntropy)]
    public partial DenseLayer OneHot { get; }
}
