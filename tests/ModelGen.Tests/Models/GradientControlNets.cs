using ModelGen;

namespace ModelGen.Tests.Models;

/// <summary>Net-S with head B as an output without a loss: no training method includes it.</summary>
[Model(Seed = 1)]
public sealed partial class NetSOutputOnly
{
    [Input(2)]
    public partial InputLayer X { get; }

    [Dense(2, Activation = Activation.Tanh, From = nameof(X))]
    public partial DenseLayer T { get; }

    [Dense(1, From = nameof(T))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer A { get; }

    [Dense(1, From = nameof(T))]
    [Output]
    public partial DenseLayer B { get; }
}

/// <summary>Net-S with the gradient from head B into the trunk stopped.</summary>
[Model(Seed = 1)]
public sealed partial class NetSStopped
{
    [Input(2)]
    public partial InputLayer X { get; }

    [Dense(2, Activation = Activation.Tanh, From = nameof(X))]
    public partial DenseLayer T { get; }

    [Dense(1, From = nameof(T))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer A { get; }

    [Dense(1, From = nameof(T))]
    [Head(Loss.MeanSquaredError)]
    [StopGradient(nameof(T))]
    public partial DenseLayer B { get; }
}

/// <summary>Net-S with the trunk declared frozen.</summary>
[Model(Seed = 1)]
public sealed partial class NetSFrozen
{
    [Input(2)]
    public partial InputLayer X { get; }

    [Dense(2, Activation = Activation.Tanh, From = nameof(X), Trainable = false)]
    public partial DenseLayer T { get; }

    [Dense(1, From = nameof(T))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer A { get; }

    [Dense(1, From = nameof(T))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer B { get; }
}

/// <summary>Net-S with head A replaced by a two-class softmax head C trained with categorical cross-entropy.</summary>
[Model(Seed = 1)]
public sealed partial class NetSC
{
    [Input(2)]
    public partial InputLayer X { get; }

    [Dense(2, Activation = Activation.Tanh, From = nameof(X))]
    public partial DenseLayer T { get; }

    [Dense(2, Activation = Activation.Softmax, From = nameof(T))]
    [Head(Loss.SparseCategoricalCrossEntropy)]
    public partial DenseLayer C { get; }

    [Dense(1, From = nameof(T))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer B { get; }
}

/// <summary>The newer activations and losses, with a dropout layer of rate 0 that must change nothing.</summary>
[Model(Seed = 21)]
public sealed partial class ExtraHeadsNet
{
    [Input(3)]
    public partial InputLayer X { get; }

    [Dense(5, Activation = Activation.LeakyRelu, NegativeSlope = 0.2f, From = nameof(X))]
    public partial DenseLayer Trunk { get; }

    [Dense(4, Activation = Activation.Gelu, From = nameof(Trunk))]
    public partial DenseLayer Smooth { get; }

    [Dropout(0.0, From = nameof(Smooth))]
    public partial DropoutLayer Drop { get; }

    [Dense(2, Activation = Activation.Gelu, From = nameof(Drop))]
    [Head(Loss.Huber, HuberDelta = 0.5f)]
    public partial DenseLayer Robust { get; }

    [Dense(2, Activation = Activation.Softplus, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Positive { get; }

    [Dense(3, Activation = Activation.Softmax, From = nameof(Drop))]
    [Head(Loss.CategoricalCrossEntropy)]
    public partial DenseLayer Onehot { get; }

    [Dense(3, From = nameof(Trunk))]
    [Head(Loss.CategoricalCrossEntropy, Weight = 0.5f)]
    public partial DenseLayer Logits { get; }
}

/// <summary>A dropout layer in the trunk, for masks and reproducibility.</summary>
[Model(Seed = 5)]
public sealed partial class DropoutNet
{
    [Input(4)]
    public partial InputLayer X { get; }

    [Dense(64, Activation = Activation.Relu, From = nameof(X))]
    public partial DenseLayer Hidden { get; }

    [Dropout(0.25, From = nameof(Hidden))]
    public partial DropoutLayer Drop { get; }

    [Dense(1, From = nameof(Drop))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Y { get; }
}

/// <summary>One head reading another: Outer trains through Inner, which is a head of its own.</summary>
[Model(Seed = 8)]
public sealed partial class StackedHeadsNet
{
    [Input(3)]
    public partial InputLayer X { get; }

    [Dense(4, Activation = Activation.Tanh, From = nameof(X))]
    public partial DenseLayer Trunk { get; }

    [Dense(2, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Inner { get; }

    [Dense(1, From = nameof(Inner))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Outer { get; }

    [Dense(1, From = nameof(Inner))]
    [Head(Loss.MeanSquaredError)]
    [StopGradient(nameof(Inner))]
    public partial DenseLayer Probe { get; }
}
