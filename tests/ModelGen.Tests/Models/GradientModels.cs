using ModelGen;

namespace ModelGen.Tests.Models;

/// <summary>
/// Two inputs, a concatenation, a residual sum, and heads of every loss, one of them reading two other heads
/// (both with fused losses), so that gradients meet from several directions.
/// </summary>
[Model(Seed = 7)]
public sealed partial class DiamondNet
{
    [Input(3)]
    public partial InputLayer X1 { get; }

    [Input(2)]
    public partial InputLayer X2 { get; }

    [Dense(4, Activation = Activation.Tanh, From = nameof(X1))]
    public partial DenseLayer A { get; }

    [Dense(3, Activation = Activation.Sigmoid, From = nameof(X2))]
    public partial DenseLayer B { get; }

    [Concatenate(nameof(A), nameof(B))]
    public partial ConcatenateLayer C { get; }

    [Dense(4, Activation = Activation.Relu, From = nameof(C))]
    public partial DenseLayer D { get; }

    [Dense(4, From = nameof(A))]
    public partial DenseLayer E { get; }

    [Add(nameof(D), nameof(E))]
    public partial AddLayer F { get; }

    [Dense(3, Activation = Activation.Softmax, From = nameof(F))]
    [Head(Loss.SparseCategoricalCrossEntropy)]
    public partial DenseLayer Cls { get; }

    [Dense(2, Activation = Activation.Sigmoid, From = nameof(D))]
    [Head(Loss.BinaryCrossEntropy)]
    public partial DenseLayer Bin { get; }

    [Dense(2, From = nameof(F))]
    [Head(Loss.MeanAbsoluteError)]
    public partial DenseLayer Reg { get; }

    [Concatenate(nameof(Cls), nameof(Bin))]
    public partial ConcatenateLayer Joined { get; }

    [Dense(1, Activation = Activation.Tanh, From = nameof(Joined))]
    [Head(Loss.MeanSquaredError, Weight = 0.5f)]
    public partial DenseLayer Outer { get; }
}

/// <summary>Each loss on a linear layer.</summary>
[Model(Seed = 11)]
public sealed partial class LinearHeadsNet
{
    [Input(3)]
    public partial InputLayer X { get; }

    [Dense(4, Activation = Activation.Tanh, From = nameof(X))]
    public partial DenseLayer Trunk { get; }

    [Dense(3, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Mse { get; }

    [Dense(3, From = nameof(Trunk))]
    [Head(Loss.MeanAbsoluteError)]
    public partial DenseLayer Mae { get; }

    [Dense(3, From = nameof(Trunk))]
    [Head(Loss.BinaryCrossEntropy)]
    public partial DenseLayer Bce { get; }

    [Dense(3, From = nameof(Trunk))]
    [Head(Loss.SparseCategoricalCrossEntropy)]
    public partial DenseLayer Sce { get; }
}

/// <summary>Each loss on a ReLU layer.</summary>
[Model(Seed = 12)]
public sealed partial class ReluHeadsNet
{
    [Input(3)]
    public partial InputLayer X { get; }

    [Dense(4, Activation = Activation.Tanh, From = nameof(X))]
    public partial DenseLayer Trunk { get; }

    [Dense(3, Activation = Activation.Relu, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Mse { get; }

    [Dense(3, Activation = Activation.Relu, From = nameof(Trunk))]
    [Head(Loss.MeanAbsoluteError)]
    public partial DenseLayer Mae { get; }

    [Dense(3, Activation = Activation.Relu, From = nameof(Trunk))]
    [Head(Loss.BinaryCrossEntropy)]
    public partial DenseLayer Bce { get; }

    [Dense(3, Activation = Activation.Relu, From = nameof(Trunk))]
    [Head(Loss.SparseCategoricalCrossEntropy)]
    public partial DenseLayer Sce { get; }
}

/// <summary>Each loss on a sigmoid layer.</summary>
[Model(Seed = 13)]
public sealed partial class SigmoidHeadsNet
{
    [Input(3)]
    public partial InputLayer X { get; }

    [Dense(4, Activation = Activation.Relu, From = nameof(X))]
    public partial DenseLayer Trunk { get; }

    [Dense(3, Activation = Activation.Sigmoid, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Mse { get; }

    [Dense(3, Activation = Activation.Sigmoid, From = nameof(Trunk))]
    [Head(Loss.MeanAbsoluteError)]
    public partial DenseLayer Mae { get; }

    [Dense(3, Activation = Activation.Sigmoid, From = nameof(Trunk))]
    [Head(Loss.BinaryCrossEntropy)]
    public partial DenseLayer Bce { get; }

    [Dense(3, Activation = Activation.Sigmoid, From = nameof(Trunk))]
    [Head(Loss.SparseCategoricalCrossEntropy)]
    public partial DenseLayer Sce { get; }
}

/// <summary>Each loss on a tanh layer.</summary>
[Model(Seed = 14)]
public sealed partial class TanhHeadsNet
{
    [Input(3)]
    public partial InputLayer X { get; }

    [Dense(4, Activation = Activation.Sigmoid, From = nameof(X))]
    public partial DenseLayer Trunk { get; }

    [Dense(3, Activation = Activation.Tanh, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Mse { get; }

    [Dense(3, Activation = Activation.Tanh, From = nameof(Trunk))]
    [Head(Loss.MeanAbsoluteError)]
    public partial DenseLayer Mae { get; }

    [Dense(3, Activation = Activation.Tanh, From = nameof(Trunk))]
    [Head(Loss.BinaryCrossEntropy)]
    public partial DenseLayer Bce { get; }

    [Dense(3, Activation = Activation.Tanh, From = nameof(Trunk))]
    [Head(Loss.SparseCategoricalCrossEntropy)]
    public partial DenseLayer Sce { get; }
}

/// <summary>Each loss on a softmax layer, with a softmax in the trunk as well.</summary>
[Model(Seed = 15)]
public sealed partial class SoftmaxHeadsNet
{
    [Input(3)]
    public partial InputLayer X { get; }

    [Dense(4, Activation = Activation.Softmax, From = nameof(X))]
    public partial DenseLayer Trunk { get; }

    [Dense(3, Activation = Activation.Softmax, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Mse { get; }

    [Dense(3, Activation = Activation.Softmax, From = nameof(Trunk))]
    [Head(Loss.MeanAbsoluteError)]
    public partial DenseLayer Mae { get; }

    [Dense(3, Activation = Activation.Softmax, From = nameof(Trunk))]
    [Head(Loss.BinaryCrossEntropy)]
    public partial DenseLayer Bce { get; }

    [Dense(3, Activation = Activation.Softmax, From = nameof(Trunk))]
    [Head(Loss.SparseCategoricalCrossEntropy)]
    public partial DenseLayer Sce { get; }
}
