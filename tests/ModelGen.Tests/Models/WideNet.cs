using ModelGen;

namespace ModelGen.Tests.Models;

/// <summary>
/// A trunk of two ReLU layers with odd sizes and a softmax and a regression head, large enough that its
/// products split into several column panels and row tiles when multi-core kernels are forced on.
/// </summary>
[Model(Seed = 3)]
public sealed partial class WideNet
{
    [Input(70)]
    public partial InputLayer X { get; }

    [Dense(97, Activation = Activation.Relu, From = nameof(X))]
    public partial DenseLayer Hidden1 { get; }

    [Dense(65, Activation = Activation.Relu, From = nameof(Hidden1))]
    public partial DenseLayer Hidden2 { get; }

    [Dense(10, Activation = Activation.Softmax, From = nameof(Hidden2))]
    [Head(Loss.SparseCategoricalCrossEntropy)]
    public partial DenseLayer Classes { get; }

    [Dense(1, From = nameof(Hidden2))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Value { get; }
}
