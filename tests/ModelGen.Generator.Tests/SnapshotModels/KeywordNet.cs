using ModelGen;

namespace ModelGen.Generator.Tests.SnapshotModels;

/// <summary>Layer names that are C# keywords, written with '@'.</summary>
[Model(Seed = 13)]
public partial class KeywordNet
{
    /// <summary>An input named 'in'.</summary>
    [Input(2)]
    public partial InputLayer @in { get; }

    /// <summary>A hidden layer named 'class'.</summary>
    [Dense(2, From = nameof(@in), Activation = Activation.Relu)]
    public partial DenseLayer @class { get; }

    /// <summary>A head named 'out'.</summary>
    [Dense(1, From = nameof(@class))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer @out { get; }

    /// <summary>A head named 'return'.</summary>
    [Dense(1, From = nameof(@class))]
    [Head(Loss.MeanAbsoluteError)]
    public partial DenseLayer @return { get; }
}
