using System;

namespace ModelGen.Kernels;

/// <summary>
/// Loss functions of heads. Each returns the loss of a batch and overwrites <c>gradient</c> with the gradient of
/// <c>weight · loss</c> with respect to its first argument. Sums are taken in double precision in a fixed order.
/// </summary>
/// <remarks>
/// With per-sample weights <c>w</c> the loss is <c>Σ_b w_b·l_b / Σ_b w_b</c>, where <c>l_b</c> is sample b's loss
/// (its mean over units for element-wise losses). An empty weight span means a weight of 1 for every sample and
/// gives bit-identical results to an all-ones span. Samples of weight 0 are skipped entirely, so their targets
/// may hold NaN, and when every weight is 0 the loss and the gradient are 0.
/// </remarks>
public static class LossKernel
{
    /// <summary>Clamp of probabilities in <see cref="BinaryCrossEntropy(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, float)"/>, as Keras's backend epsilon.</summary>
    public const float ProbabilityEpsilon = 1e-7f;

    /// <summary>Mean of <c>(y - target)²</c>.</summary>
    /// <param name="y">Outputs, [batch, units].</param>
    /// <param name="target">Targets, same length.</param>
    /// <param name="gradient">Gradient with respect to <paramref name="y"/>; overwritten.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    public static float MeanSquaredError(ReadOnlySpan<float> y, ReadOnlySpan<float> target, Span<float> gradient, float weight) =>
        MeanSquaredError(y, target, gradient, weight, default, y.Length == 0 ? 1 : y.Length);

    /// <summary>Weighted mean of <c>(y - target)²</c>.</summary>
    /// <param name="y">Outputs, [batch, units].</param>
    /// <param name="target">Targets, same length.</param>
    /// <param name="gradient">Gradient with respect to <paramref name="y"/>; overwritten.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    /// <param name="sampleWeights">One weight per sample, or empty for weight 1 everywhere.</param>
    /// <param name="units">Values per sample.</param>
    public static float MeanSquaredError(ReadOnlySpan<float> y, ReadOnlySpan<float> target, Span<float> gradient, float weight, ReadOnlySpan<float> sampleWeights, int units) =>
        ElementWise(ElementLoss.Squared, 0f, y, target, gradient, weight, sampleWeights, units);

    /// <summary>Mean of <c>|y - target|</c>; the gradient at equality is 0, as in PyTorch.</summary>
    /// <param name="y">Outputs, [batch, units].</param>
    /// <param name="target">Targets, same length.</param>
    /// <param name="gradient">Gradient with respect to <paramref name="y"/>; overwritten.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    public static float MeanAbsoluteError(ReadOnlySpan<float> y, ReadOnlySpan<float> target, Span<float> gradient, float weight) =>
        MeanAbsoluteError(y, target, gradient, weight, default, y.Length == 0 ? 1 : y.Length);

    /// <summary>Weighted mean of <c>|y - target|</c>; the gradient at equality is 0, as in PyTorch.</summary>
    /// <param name="y">Outputs, [batch, units].</param>
    /// <param name="target">Targets, same length.</param>
    /// <param name="gradient">Gradient with respect to <paramref name="y"/>; overwritten.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    /// <param name="sampleWeights">One weight per sample, or empty for weight 1 everywhere.</param>
    /// <param name="units">Values per sample.</param>
    public static float MeanAbsoluteError(ReadOnlySpan<float> y, ReadOnlySpan<float> target, Span<float> gradient, float weight, ReadOnlySpan<float> sampleWeights, int units) =>
        ElementWise(ElementLoss.Absolute, 0f, y, target, gradient, weight, sampleWeights, units);

    /// <summary>Weighted mean Huber loss: <c>0.5·d²</c> where <c>|d| ≤ delta</c>, else <c>delta·(|d| - 0.5·delta)</c>.</summary>
    /// <param name="y">Outputs, [batch, units].</param>
    /// <param name="target">Targets, same length.</param>
    /// <param name="gradient">Gradient with respect to <paramref name="y"/>; overwritten.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    /// <param name="sampleWeights">One weight per sample, or empty for weight 1 everywhere.</param>
    /// <param name="units">Values per sample.</param>
    /// <param name="delta">Threshold between the quadratic and linear parts; > 0.</param>
    public static float Huber(ReadOnlySpan<float> y, ReadOnlySpan<float> target, Span<float> gradient, float weight, ReadOnlySpan<float> sampleWeights, int units, float delta) =>
        ElementWise(ElementLoss.Huber, delta, y, target, gradient, weight, sampleWeights, units);

    /// <summary>
    /// Mean binary cross-entropy of probabilities <paramref name="p"/>, clamped to
    /// [<see cref="ProbabilityEpsilon"/>, 1 - <see cref="ProbabilityEpsilon"/>]; where the clamp applies the
    /// gradient is 0.
    /// </summary>
    /// <param name="p">Probabilities, [batch, units].</param>
    /// <param name="target">Targets in [0, 1], same length.</param>
    /// <param name="gradient">Gradient with respect to <paramref name="p"/>; overwritten.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    public static float BinaryCrossEntropy(ReadOnlySpan<float> p, ReadOnlySpan<float> target, Span<float> gradient, float weight) =>
        BinaryCrossEntropy(p, target, gradient, weight, default, p.Length == 0 ? 1 : p.Length);

    /// <summary>Weighted form of <see cref="BinaryCrossEntropy(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, float)"/>.</summary>
    /// <param name="p">Probabilities, [batch, units].</param>
    /// <param name="target">Targets in [0, 1], same length.</param>
    /// <param name="gradient">Gradient with respect to <paramref name="p"/>; overwritten.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    /// <param name="sampleWeights">One weight per sample, or empty for weight 1 everywhere.</param>
    /// <param name="units">Values per sample.</param>
    public static float BinaryCrossEntropy(ReadOnlySpan<float> p, ReadOnlySpan<float> target, Span<float> gradient, float weight, ReadOnlySpan<float> sampleWeights, int units) =>
        ElementWise(ElementLoss.BinaryCrossEntropy, 0f, p, target, gradient, weight, sampleWeights, units);

    /// <summary>
    /// Mean binary cross-entropy of <c>sigmoid(logits)</c>, computed from the logits as
    /// <c>max(z, 0) - z·t + log(1 + exp(-|z|))</c> so that it stays finite for large logits.
    /// </summary>
    /// <param name="logits">Pre-sigmoid values, [batch, units].</param>
    /// <param name="target">Targets in [0, 1], same length.</param>
    /// <param name="gradient">Gradient with respect to <paramref name="logits"/>; overwritten.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    public static float BinaryCrossEntropyFromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> target, Span<float> gradient, float weight) =>
        BinaryCrossEntropyFromLogits(logits, target, gradient, weight, default, logits.Length == 0 ? 1 : logits.Length);

    /// <summary>Weighted form of <see cref="BinaryCrossEntropyFromLogits(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, float)"/>.</summary>
    /// <param name="logits">Pre-sigmoid values, [batch, units].</param>
    /// <param name="target">Targets in [0, 1], same length.</param>
    /// <param name="gradient">Gradient with respect to <paramref name="logits"/>; overwritten.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    /// <param name="sampleWeights">One weight per sample, or empty for weight 1 everywhere.</param>
    /// <param name="units">Values per sample.</param>
    public static float BinaryCrossEntropyFromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> target, Span<float> gradient, float weight, ReadOnlySpan<float> sampleWeights, int units) =>
        ElementWise(ElementLoss.BinaryCrossEntropyFromLogits, 0f, logits, target, gradient, weight, sampleWeights, units);

    /// <summary>
    /// Mean over samples of <c>-log softmax(logits)[label]</c>, computed with the log-sum-exp shift so that it
    /// stays finite for large logits. The gradient is <c>weight · (softmax - onehot) / batch</c>.
    /// </summary>
    /// <param name="logits">Logits, [batch, classes].</param>
    /// <param name="labels">Class of each sample, in [0, classes).</param>
    /// <param name="gradient">Gradient with respect to <paramref name="logits"/>; overwritten.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    public static float SparseCategoricalCrossEntropyFromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> gradient, int classes, float weight) =>
        SparseCategoricalCrossEntropyFromLogits(logits, labels, gradient, classes, weight, default);

    /// <summary>Weighted form of <see cref="SparseCategoricalCrossEntropyFromLogits(ReadOnlySpan{float}, ReadOnlySpan{int}, Span{float}, int, float)"/>; labels of samples of weight 0 are not read.</summary>
    /// <param name="logits">Logits, [batch, classes].</param>
    /// <param name="labels">Class of each sample, in [0, classes).</param>
    /// <param name="gradient">Gradient with respect to <paramref name="logits"/>; overwritten.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    /// <param name="sampleWeights">One weight per sample, or empty for weight 1 everywhere.</param>
    public static float SparseCategoricalCrossEntropyFromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> gradient, int classes, float weight, ReadOnlySpan<float> sampleWeights)
    {
        int batch = labels.Length;
        if (logits.Length != batch * classes || gradient.Length < batch * classes)
        {
            throw new ArgumentException($"Cross-entropy buffers do not match {batch} labels of {classes} classes: logits {logits.Length}, gradient {gradient.Length}.");
        }

        return CrossEntropy(logits, labels, default, gradient, classes, weight, sampleWeights);
    }

    /// <summary>
    /// Mean over samples of <c>-Σ_c target_c · log softmax(logits)_c</c> for one-hot (or soft) targets. The
    /// gradient is <c>weight · (softmax · Σ_c target_c - target) / batch</c>.
    /// </summary>
    /// <param name="logits">Logits, [batch, classes].</param>
    /// <param name="target">Targets, [batch, classes], each row one-hot or a distribution.</param>
    /// <param name="gradient">Gradient with respect to <paramref name="logits"/>; overwritten.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    /// <param name="sampleWeights">One weight per sample, or empty for weight 1 everywhere.</param>
    public static float CategoricalCrossEntropyFromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> target, Span<float> gradient, int classes, float weight, ReadOnlySpan<float> sampleWeights)
    {
        if (logits.Length != target.Length || gradient.Length < logits.Length || logits.Length % classes != 0)
        {
            throw new ArgumentException($"Cross-entropy buffers do not match: logits {logits.Length}, targets {target.Length}, gradient {gradient.Length}, classes {classes}.");
        }

        return CrossEntropy(logits, default, target, gradient, classes, weight, sampleWeights);
    }

    private enum ElementLoss
    {
        Squared,
        Absolute,
        Huber,
        BinaryCrossEntropy,
        BinaryCrossEntropyFromLogits,
    }

    private static float ElementWise(ElementLoss kind, float delta, ReadOnlySpan<float> y, ReadOnlySpan<float> target, Span<float> gradient, float weight, ReadOnlySpan<float> sampleWeights, int units)
    {
        if (y.Length == 0)
        {
            throw new ArgumentException("The batch is empty: a loss needs at least one output value.");
        }

        if (target.Length != y.Length || gradient.Length < y.Length || units <= 0 || y.Length % units != 0)
        {
            throw new ArgumentException($"Loss buffers do not match: outputs {y.Length}, targets {target.Length}, gradient {gradient.Length}, units {units}.");
        }

        int batch = y.Length / units;
        float sumWeights = SumWeights(sampleWeights, batch);
        gradient = gradient[..y.Length];
        if (sumWeights == 0f)
        {
            gradient.Clear();
            return 0f;
        }

        // The scale is computed the same way with and without weights, so that all-ones weights give the same bits.
        float derivativeFactor = kind == ElementLoss.Squared ? 2f : 1f;
        float scale = weight * derivativeFactor / (sumWeights * units);
        if (kind == ElementLoss.Squared && sampleWeights.IsEmpty)
        {
            return SquaredUnweighted(y, target, gradient, scale, (double)sumWeights * units);
        }

        double sum = 0;
        for (int b = 0; b < batch; b++)
        {
            float sampleWeight = sampleWeights.IsEmpty ? 1f : sampleWeights[b];
            Span<float> gradientRow = gradient.Slice(b * units, units);
            if (sampleWeight == 0f)
            {
                gradientRow.Clear();
                continue;
            }

            float rowScale = scale * sampleWeight;
            for (int u = 0; u < units; u++)
            {
                int i = (b * units) + u;
                (double value, float derivative) = Element(kind, delta, y[i], target[i]);
                sum += sampleWeight * value;
                gradientRow[u] = rowScale * derivative;
            }
        }

        return (float)(sum / ((double)sumWeights * units));
    }

    /// <summary>
    /// The most common case, mean squared error with every sample of weight 1, without the per-element dispatch.
    /// It does the same operations in the same order as the general loop, so the bits are the same.
    /// </summary>
    private static float SquaredUnweighted(ReadOnlySpan<float> y, ReadOnlySpan<float> target, Span<float> gradient, float scale, double elementCount)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            float d = y[i] - target[i];
            sum += (double)d * d;
            gradient[i] = scale * d;
        }

        return (float)(sum / elementCount);
    }

    // Returns the loss of one element and its derivative with respect to the output, before scaling.
    private static (double Value, float Derivative) Element(ElementLoss kind, float delta, float y, float target)
    {
        switch (kind)
        {
            case ElementLoss.Squared:
            {
                float d = y - target;
                return ((double)d * d, d);
            }

            case ElementLoss.Absolute:
            {
                float d = y - target;
                return (Math.Abs(d), MathF.Sign(d));
            }

            case ElementLoss.Huber:
            {
                float d = y - target;
                float magnitude = MathF.Abs(d);
                return magnitude <= delta
                    ? (0.5 * d * d, d)
                    : (delta * (magnitude - (0.5 * delta)), delta * MathF.Sign(d));
            }

            case ElementLoss.BinaryCrossEntropy:
            {
                double t = target;
                bool clamped = y < ProbabilityEpsilon || y > 1f - ProbabilityEpsilon;
                double q = Math.Clamp(y, ProbabilityEpsilon, 1.0 - ProbabilityEpsilon);
                double value = -((t * Math.Log(q)) + ((1 - t) * Math.Log(1 - q)));
                return (value, clamped ? 0f : (float)((q - t) / (q * (1 - q))));
            }

            default:
            {
                double z = y;
                double value = Math.Max(z, 0) - (z * target) + Math.Log(1 + Math.Exp(-Math.Abs(z)));
                return (value, ActivationKernel.Sigmoid(y) - target);
            }
        }
    }

    private static float CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, ReadOnlySpan<float> target, Span<float> gradient, int classes, float weight, ReadOnlySpan<float> sampleWeights)
    {
        int batch = logits.Length / classes;
        float sumWeights = SumWeights(sampleWeights, batch);
        gradient = gradient[..logits.Length];
        if (sumWeights == 0f)
        {
            gradient.Clear();
            return 0f;
        }

        float scale = weight / sumWeights;
        double sum = 0;
        for (int b = 0; b < batch; b++)
        {
            float sampleWeight = sampleWeights.IsEmpty ? 1f : sampleWeights[b];
            ReadOnlySpan<float> row = logits.Slice(b * classes, classes);
            Span<float> gradientRow = gradient.Slice(b * classes, classes);
            if (sampleWeight == 0f)
            {
                gradientRow.Clear();
                continue;
            }

            float max = float.NegativeInfinity;
            foreach (float value in row)
            {
                max = MathF.Max(max, value);
            }

            double expSum = 0;
            for (int c = 0; c < classes; c++)
            {
                expSum += Math.Exp(row[c] - max);
            }

            double logSum = Math.Log(expSum);
            float rowScale = scale * sampleWeight;
            if (target.IsEmpty)
            {
                int label = labels[b];
                sum += sampleWeight * (logSum - (row[label] - max));
                for (int c = 0; c < classes; c++)
                {
                    float probability = (float)(Math.Exp(row[c] - max) / expSum);
                    gradientRow[c] = rowScale * (c == label ? probability - 1f : probability);
                }
            }
            else
            {
                ReadOnlySpan<float> targetRow = target.Slice(b * classes, classes);
                double targetSum = 0, rowLoss = 0;
                for (int c = 0; c < classes; c++)
                {
                    targetSum += targetRow[c];
                    rowLoss += targetRow[c] * (logSum - (row[c] - max));
                }

                sum += sampleWeight * rowLoss;
                for (int c = 0; c < classes; c++)
                {
                    double probability = Math.Exp(row[c] - max) / expSum;
                    gradientRow[c] = rowScale * (float)((probability * targetSum) - targetRow[c]);
                }
            }
        }

        return (float)(sum / sumWeights);
    }

    private static float SumWeights(ReadOnlySpan<float> sampleWeights, int batch)
    {
        if (sampleWeights.IsEmpty)
        {
            return batch;
        }

        if (sampleWeights.Length != batch)
        {
            throw new ArgumentException($"{sampleWeights.Length} sample weights for a batch of {batch}.", nameof(sampleWeights));
        }

        float sum = 0f;
        foreach (float w in sampleWeights)
        {
            sum += w;
        }

        if (sum != 0f && !TensorChecks.IsUsableWeightSum(sum))
        {
            throw new ArgumentException(TensorChecks.WeightSumMessage("of this loss", sum), nameof(sampleWeights));
        }

        return sum;
    }
}
