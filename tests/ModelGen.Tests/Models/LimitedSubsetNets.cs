using ModelGen;

namespace ModelGen.Tests.Models;

/// <summary>
/// Three heads on a shared trunk with training methods for single heads and all heads only
/// (<c>MaxHeadsForAllSubsets = 2</c>), so the pair A and B has no method of its own. Head C reads its own hidden
/// layer, which only C's gradient reaches.
/// </summary>
[Model(Seed = 11, MaxHeadsForAllSubsets = 2)]
public sealed partial class LimitedSubsetNet
{
    [Input(4)]
    public partial InputLayer X { get; }

    [Dense(6, Activation = Activation.Tanh, From = nameof(X))]
    public partial DenseLayer Trunk { get; }

    [Dense(1, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer A { get; }

    [Dense(1, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer B { get; }

    [Dense(5, Activation = Activation.Relu, From = nameof(Trunk))]
    public partial DenseLayer CHidden { get; }

    [Dense(3, From = nameof(CHidden))]
    [Head(Loss.SparseCategoricalCrossEntropy)]
    public partial DenseLayer C { get; }
}

/// <summary><see cref="LimitedSubsetNet"/> with a training method for every subset of heads, as a reference.</summary>
[Model(Seed = 11)]
public sealed partial class FullSubsetNet
{
    [Input(4)]
    public partial InputLayer X { get; }

    [Dense(6, Activation = Activation.Tanh, From = nameof(X))]
    public partial DenseLayer Trunk { get; }

    [Dense(1, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer A { get; }

    [Dense(1, From = nameof(Trunk))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer B { get; }

    [Dense(5, Activation = Activation.Relu, From = nameof(Trunk))]
    public partial DenseLayer CHidden { get; }

    [Dense(3, From = nameof(CHidden))]
    [Head(Loss.SparseCategoricalCrossEntropy)]
    public partial DenseLayer C { get; }
}
