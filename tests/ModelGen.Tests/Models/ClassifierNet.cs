using ModelGen;

namespace ModelGen.Tests.Models;

/// <summary>A shared ReLU trunk with a 3-class softmax head, a sigmoid head and a linear regression head.</summary>
[Model(Seed = 21)]
public sealed partial class ClassifierNet
{
    [Input(4)]
    public partial InputLayer X { get; }

    [Dense(8, Activation = Activation.Relu, From = nameof(X))]
    public partial DenseLayer Trunk { get; }

    [Dense(3, Activation = Activation.Softmax, From = nameof(Trunk))]
    [Head(Loss.SparseCategoricalCrossEntropy)]
    public partial DenseLayer Class { get; }

    [Dense(1, Activation = Activation.Sigmoid, From = nameof(Trunk))]
    [Head(Loss.BinaryCrossEntropy, Weight = 0.5f)]
    public partial DenseLayer Odd { get; }

    [Dense(2, From = nameof(Trunk))]
    [Head(Loss.MeanAbsoluteError)]
    public partial DenseLayer Value { get; }
}
