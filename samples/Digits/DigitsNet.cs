using ModelGen;

namespace Digits;

/// <summary>
/// An 8×8 digit image (64 pixels scaled to [0, 1]) through one shared ReLU layer into two heads: the digit
/// (10-way softmax) and whether it is odd (sigmoid).
/// </summary>
[Model(Seed = 7)]
public sealed partial class DigitsNet
{
    [Input(64)]
    public partial InputLayer Pixels { get; }

    [Dense(64, Activation = Activation.Relu, From = nameof(Pixels))]
    public partial DenseLayer Hidden { get; }

    [Dense(10, Activation = Activation.Softmax, From = nameof(Hidden))]
    [Head(Loss.SparseCategoricalCrossEntropy)]
    public partial DenseLayer Digit { get; }

    [Dense(1, Activation = Activation.Sigmoid, From = nameof(Hidden))]
    [Head(Loss.BinaryCrossEntropy, Weight = 0.5f)]
    public partial DenseLayer Odd { get; }
}
