using ModelGen;

namespace TwoHeads;

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

/// <summary>
/// Energy efficiency of buildings: 8 standardised features, a shared trunk, and one head each for the
/// heating load and the cooling load.
/// </summary>
[Model(Seed = 2012)]
public sealed partial class EnergyNet
{
    [Input(8)]
    public partial InputLayer Features { get; }

    [Dense(64, Activation = Activation.Relu, From = nameof(Features))]
    public partial DenseLayer Trunk1 { get; }

    [Dense(32, Activation = Activation.Relu, From = nameof(Trunk1))]
    public partial DenseLayer Trunk2 { get; }

    [Dense(1, From = nameof(Trunk2))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Heating { get; }

    [Dense(1, From = nameof(Trunk2))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Cooling { get; }
}
