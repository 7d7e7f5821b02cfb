using ModelGen;

namespace ModelGen.Generator.Tests.SnapshotModels;

/// <summary>Every activation in a chain of hidden layers, and a linear head trained on class labels.</summary>
[Model]
public partial class ActivationsNet
{
    /// <summary>Features.</summary>
    [Input(5)]
    public partial InputLayer X { get; }

    /// <summary>Rectified linear layer.</summary>
    [Dense(4, From = nameof(X), Activation = Activation.Relu)]
    public partial DenseLayer Rectified { get; }

    /// <summary>Hyperbolic tangent layer.</summary>
    [Dense(4, From = nameof(Rectified), Activation = Activation.Tanh)]
    public partial DenseLayer Bounded { get; }

    /// <summary>Sigmoid layer.</summary>
    [Dense(4, From = nameof(Bounded), Activation = Activation.Sigmoid)]
    public partial DenseLayer Squashed { get; }

    /// <summary>Leaky rectified linear layer with a non-default slope.</summary>
    [Dense(4, From = nameof(Squashed), Activation = Activation.LeakyRelu, NegativeSlope = 0.2f)]
    public partial DenseLayer Leaky { get; }

    /// <summary>Gaussian error linear unit layer.</summary>
    [Dense(4, From = nameof(Leaky), Activation = Activation.Gelu)]
    public partial DenseLayer Smooth { get; }

    /// <summary>Softplus layer.</summary>
    [Dense(4, From = nameof(Smooth), Activation = Activation.Softplus)]
    public partial DenseLayer Positive { get; }

    /// <summary>Softmax layer inside the network.</summary>
    [Dense(3, From = nameof(Positive), Activation = Activation.Softmax)]
    public partial DenseLayer Mixture { get; }

    /// <summary>Linear regression head after the softmax.</summary>
    [Dense(2, From = nameof(Mixture), Activation = Activation.Linear)]
    [Head(Loss.MeanSquaredError)]
    public partial DenseLayer Regression { get; }

    /// <summary>Linear logits trained with class labels.</summary>
    [Dense(3, From = nameof(Squashed))]
    [Head(Loss.SparseCategoricalCrossEntropy)]
    public partial DenseLayer Logits { get; }
}
