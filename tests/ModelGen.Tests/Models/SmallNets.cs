using ModelGen;

namespace ModelGen.Tests.Models;

/// <summary>XOR: two inputs, a tanh hidden layer, a sigmoid output with binary cross-entropy.</summary>
[Model(Seed = 3)]
public sealed partial class XorNet
{
    [Input(2)]
    public partial InputLayer X { get; }

    [Dense(8, Activation = Activation.Tanh, From = nameof(X))]
    public partial DenseLayer Hidden { get; }

    [Dense(1, Activation = Activation.Sigmoid, From = nameof(Hidden))]
    [Head(Loss.BinaryCrossEntropy)]
    public partial DenseLayer Y { get; }
}

/// <summary>A single linear unit, to recover known regression coefficients.</summary>
[Model]
public sealed partial class LinearNet
{
    [Input(3)]
    public partial InputLayer X { get; }

    [Dense(1, From = nameof(X))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Y { get; }
}
