namespace ModelGen;

/// <summary>
/// Loss function of a head. Every loss is a mean over the batch, as in Keras and PyTorch. With per-sample
/// weights it is the weighted sum divided by the sum of the weights.
/// </summary>
public enum Loss
{
    /// <summary>Mean of <c>(y - target)²</c> over samples and units. Targets are <c>float</c>, batch × units.</summary>
    MeanSquaredError,

    /// <summary>Mean of <c>|y - target|</c> over samples and units. Targets are <c>float</c>, batch × units.</summary>
    MeanAbsoluteError,

    /// <summary>
    /// Mean binary cross-entropy over samples and units, with targets in [0, 1], batch × units. On a
    /// <see cref="Activation.Sigmoid"/> layer it is computed from the pre-activation values (numerically
    /// stable); on any other layer the outputs are taken as probabilities and clamped to [1e-7, 1 - 1e-7].
    /// </summary>
    BinaryCrossEntropy,

    /// <summary>
    /// Mean cross-entropy over samples with one <c>int</c> class label per sample. On a
    /// <see cref="Activation.Softmax"/> or <see cref="Activation.Linear"/> layer the pre-activation values are
    /// the logits and the softmax is fused into the loss; on other layers the activated outputs are the logits.
    /// </summary>
    SparseCategoricalCrossEntropy,

    /// <summary>
    /// Mean Huber loss over samples and units: <c>0.5·d²</c> where <c>|d| ≤ δ</c>, else <c>δ·(|d| - 0.5·δ)</c>, with
    /// <c>d = y - target</c> and δ the head's <c>HuberDelta</c> (1 by default, as in Keras and PyTorch).
    /// </summary>
    Huber,

    /// <summary>
    /// Mean cross-entropy over samples with one-hot (or soft) <c>float</c> targets, batch × classes. Logits are
    /// chosen as for <see cref="SparseCategoricalCrossEntropy"/>, and the softmax is fused into the loss.
    /// </summary>
    CategoricalCrossEntropy,
}
