using ModelGen;

namespace ModelGen.Bench.Models;

/// <summary>
/// The medium benchmark network: 784 inputs, a trunk of two ReLU layers of 512 units, a 10-class softmax head
/// trained with sparse categorical cross-entropy and a one-unit regression head.
/// </summary>
[Model(Seed = 7)]
public sealed partial class MediumNet
{
    [Input(784)]
    public partial InputLayer X { get; }

    [Dense(512, Activation = Activation.Relu, From = nameof(X))]
    public partial DenseLayer Hidden1 { get; }

    [Dense(512, Activation = Activation.Relu, From = nameof(Hidden1))]
    public partial DenseLayer Hidden2 { get; }

    [Dense(10, Activation = Activation.Softmax, From = nameof(Hidden2))]
    [Head(Loss.SparseCategoricalCrossEntropy)]
    public partial DenseLayer Classes { get; }

    [Dense(1, From = nameof(Hidden2))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Value { get; }
}
