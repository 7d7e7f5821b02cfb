using ModelGen;

namespace AotApp;

/// <summary>The README's network: 32 inputs, a shared ReLU layer and two regression heads.</summary>
[Model(Seed = 42)]
public sealed partial class TwoHeadNet
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
