using ModelGen;

namespace ModelGen.Generator.Tests.SnapshotModels;

/// <summary>
/// Five heads, one more than the default subset limit: ModelGen generates the method for all heads, one per
/// head, and the two requested with [TrainSubset].
/// </summary>
[Model(Seed = 1)]
[TrainSubset(nameof(A), nameof(C))]
[TrainSubset(nameof(E), nameof(B), nameof(D))]
public partial class ManyHeadsNet
{
    /// <summary>Features.</summary>
    [Input(2)]
    public partial InputLayer X { get; }

    /// <summary>Shared trunk.</summary>
    [Dense(4, From = nameof(X), Activation = Activation.Relu)]
    public partial DenseLayer Trunk { get; }

    /// <summary>Head A.</summary>
    [Dense(1, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer A { get; }

    /// <summary>Head B.</summary>
    [Dense(1, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer B { get; }

    /// <summary>Head C.</summary>
    [Dense(1, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer C { get; }

    /// <summary>Head D.</summary>
    [Dense(1, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer D { get; }

    /// <summary>Head E, read from the input directly.</summary>
    [Dense(1, From = nameof(X))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer E { get; }
}
