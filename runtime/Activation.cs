namespace ModelGen;

/// <summary>Element-wise function applied to a layer's pre-activation values.</summary>
public enum Activation
{
    /// <summary>Identity: <c>y = z</c>.</summary>
    Linear,

    /// <summary>Rectified linear unit: <c>y = max(z, 0)</c>; its derivative at 0 is taken as 0.</summary>
    Relu,

    /// <summary>Logistic sigmoid: <c>y = 1 / (1 + exp(-z))</c>.</summary>
    Sigmoid,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh,

    /// <summary>Softmax over the units of each sample: <c>y_j = exp(z_j) / Σ_k exp(z_k)</c>.</summary>
    Softmax,

    /// <summary>Leaky rectified linear unit: <c>y = z</c> for <c>z > 0</c>, else <c>slope·z</c> (the layer's <c>NegativeSlope</c>, 0.01 by default as in PyTorch).</summary>
    LeakyRelu,

    /// <summary>Gaussian error linear unit in its exact form, <c>y = z·Φ(z)</c> with Φ the standard normal CDF (PyTorch's default).</summary>
    Gelu,

    /// <summary>Softplus: <c>y = log(1 + exp(z))</c>.</summary>
    Softplus,
}
