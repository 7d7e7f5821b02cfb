using ModelGen;

namespace ModelGen.Generator.Tests.SnapshotModels;

/// <summary>One head per loss, each on the activation it suits, with head weights that test float literals.</summary>
[Model(Seed = -5)]
public partial class LossesNet
{
    /// <summary>Features.</summary>
    [Input(3)]
    public partial InputLayer X { get; }

    /// <summary>Shared trunk.</summary>
    [Dense(8, From = nameof(X), Activation = Activation.Relu)]
    public partial DenseLayer Trunk { get; }

    /// <summary>Regression with squared error.</summary>
    [Dense(2, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError, Weight = 0.1f)]
    public partial DenseLayer Squared { get; }

    /// <summary>Bounded regression with absolute error.</summary>
    [Dense(1, From = nameof(Trunk), Activation = Activation.Tanh)]
    [Head(Loss.MeanAbsoluteError, Weight = 1e-3f)]
    public partial DenseLayer Absolute { get; }

    /// <summary>Independent labels with binary cross-entropy on a sigmoid.</summary>
    [Dense(2, From = nameof(Trunk), Activation = Activation.Sigmoid)]
    [Head(Loss.BinaryCrossEntropy, Weight = 3f)]
    public partial DenseLayer Binary { get; }

    /// <summary>One class of four with sparse categorical cross-entropy on a softmax.</summary>
    [Dense(4, From = nameof(Trunk), Activation = Activation.Softmax)]
    [Head(Loss.SparseCategoricalCrossEntropy, Weight = 0.3333333f)]
    public partial DenseLayer Category { get; }
}
