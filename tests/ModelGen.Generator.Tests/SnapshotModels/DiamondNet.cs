using ModelGen;

namespace ModelGen.Generator.Tests.SnapshotModels;

/// <summary>
/// A diamond: two branches of the same input meet again in a concatenation and in a residual sum, and a merge
/// of the input itself with a branch.
/// </summary>
[Model(Seed = 7)]
public partial class DiamondNet
{
    /// <summary>Features.</summary>
    [Input(4)]
    public partial InputLayer X { get; }

    /// <summary>Left branch.</summary>
    [Dense(4, From = nameof(X), Activation = Activation.Relu)]
    public partial DenseLayer Left { get; }

    /// <summary>Right branch.</summary>
    [Dense(4, From = nameof(X), Activation = Activation.Tanh)]
    public partial DenseLayer Right { get; }

    /// <summary>Both branches side by side.</summary>
    [Concatenate(nameof(Left), nameof(Right))]
    public partial ConcatenateLayer Both { get; }

    /// <summary>Residual sum of the input and both branches.</summary>
    [Add(nameof(X), nameof(Left), nameof(Right))]
    public partial AddLayer Sum { get; }

    /// <summary>Head on the concatenation.</summary>
    [Dense(2, From = nameof(Both))]
    [Head(Loss.MeanAbsoluteError)]
    public partial DenseLayer Wide { get; }

    /// <summary>Head on the residual sum.</summary>
    [Dense(1, From = nameof(Sum))]
    [Head(Loss.MeanSquaredError, Weight = 2f)]
    public partial DenseLayer Deep { get; }
}
