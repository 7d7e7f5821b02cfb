using ModelGen;

namespace ModelGen.Generator.Tests.SnapshotModels;

/// <summary>The README's network: 32 inputs, a shared ReLU layer of 32 units and two regression heads.</summary>
[Model(Seed = 42)]
public sealed partial class TwoHeadNet
{
    /// <summary>Features.</summary>
    [Input(32)]
    public partial InputLayer X { get; }

    /// <summary>Shared trunk.</summary>
    [Dense(32, Activation = Activation.Relu, From = nameof(X))]
    public partial DenseLayer Hidden { get; }

    /// <summary>First regression head.</summary>
    [Dense(1, From = nameof(Hidden))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Output1 { get; }

    /// <summary>Second regression head.</summary>
    [Dense(1, From = nameof(Hidden))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Output2 { get; }
}
