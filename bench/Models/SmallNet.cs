using ModelGen;

namespace ModelGen.Bench.Models;

/// <summary>
/// The small benchmark network, declared as samples/TwoHeads/TwoHeadNet.cs: 32 inputs, a shared ReLU layer of
/// 32 units and two one-unit regression heads.
/// </summary>
[Model(Seed = 42)]
public sealed partial class SmallNet
{
    [Input(32)]
    public partial InputLayer X { get; }

    [Dense(32, Activation = Activation.Relu, From = nameof(X))]
    public partial DenseLayer Hidden { get; }

    [Dense(1, From = nameof(Hidden))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Output1 { get; }

    [Dense(1, From = nameof(Hidden))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Output2 { get; }
}
