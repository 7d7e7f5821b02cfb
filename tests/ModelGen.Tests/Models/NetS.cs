using ModelGen;

namespace ModelGen.Tests.Models;

/// <summary>
/// The small shared-trunk fixture: trunk T (Dense 2→2, tanh) and two linear heads A and B trained with mean
/// squared error. Tests set its weights explicitly.
/// </summary>
[Model(Seed = 1)]
public sealed partial class NetS
{
    [Input(2)]
    public partial InputLayer X { get; }

    [Dense(2, Activation = Activation.Tanh, From = nameof(X))]
    public partial DenseLayer T { get; }

    [Dense(1, From = nameof(T))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer A { get; }

    [Dense(1, From = nameof(T))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer B { get; }
}
