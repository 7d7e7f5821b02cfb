using ModelGen;

namespace Routing;

/// <summary>A shared perception trunk and one steering head per command.</summary>
[Model(Seed = 11)]
public sealed partial class DrivingNet
{
    [Input(4)]
    public partial InputLayer Features { get; }

    [Dense(32, Activation = Activation.Relu, From = nameof(Features))]
    public partial DenseLayer Trunk { get; }

    [Dense(1, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Left { get; }

    [Dense(1, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Straight { get; }

    [Dense(1, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Right { get; }
}
