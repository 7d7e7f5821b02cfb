using ModelGen;

namespace ModelGen.Generator.Tests.SnapshotModels;

/// <summary>Two inputs with a dense encoder each, joined for one head; a second head reads one encoder only.</summary>
[Model(Seed = 3)]
public partial class MultiInputNet
{
    /// <summary>Image features.</summary>
    [Input(6)]
    public partial InputLayer Image { get; }

    /// <summary>Text features.</summary>
    [Input(4)]
    public partial InputLayer Text { get; }

    /// <summary>Image encoder.</summary>
    [Dense(3, From = nameof(Image), Activation = Activation.Relu)]
    public partial DenseLayer ImageCode { get; }

    /// <summary>Text encoder.</summary>
    [Dense(2, From = nameof(Text), Activation = Activation.Tanh)]
    public partial DenseLayer TextCode { get; }

    /// <summary>Both codes side by side.</summary>
    [Concatenate(nameof(ImageCode), nameof(TextCode))]
    public partial ConcatenateLayer Joined { get; }

    /// <summary>Score from both inputs.</summary>
    [Dense(1, From = nameof(Joined))]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Score { get; }

    /// <summary>Label from the text alone.</summary>
    [Dense(1, From = nameof(TextCode), Activation = Activation.Sigmoid)]
    [Head(Loss.BinaryCrossEntropy, Weight = 0.5f)]
    public partial DenseLayer TextLabel { get; }
}
