using System;

namespace ModelGen.Kernels;

/// <summary>
/// Loss functions of heads. Each returns the mean loss over the batch and overwrites <c>gradient</c> with the
/// gradient of <c>weight · loss</c> with respect to its first argument. Sums are taken in double precision in
/// a fixed order.
/// </summary>
public static class LossKernel
{
    /// <summary>Clamp of probabilities in <see cref="BinaryCrossEntropy"/>, as Keras's backend epsilon.</summary>
    public const float ProbabilityEpsilon = 1e-7f;

    /// <summary>Mean of <c>(y - target)²</c>.</summary>
    /// <param name="y">Outputs, [batch, units].</param>
    /// <param name="target">Targets, same length.</param>
    /// <param name="gradient">Gradient with respect to <paramref name="y"/>; overwritten.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    public static float MeanSquaredError(ReadOnlySpan<float> y, ReadOnlySpan<float> target, Span<float> gradient, float weight)
    {
        int n = CheckLengths(y, target, gradient);
        float scale = weight * 2f / n;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            float difference = y[i] - target[i];
            sum += (double)difference * difference;
            gradient[i] = scale * difference;
        }

        return (float)(sum / n);
    }

    /// <summary>Mean of <c>|y - target|</c>; the gradient at equality is 0, as in PyTorch.</summary>
    /// <param name="y">Outputs, [batch, units].</param>
    /// <param name="target">Targets, same length.</param>
    /// <param name="gradient">Gradient with respect to <paramref name="y"/>; overwritten.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    public static float MeanAbsoluteError(ReadOnlySpan<float> y, ReadOnlySpan<float> target, Span<float> gradient, float weight)
    {
        int n = CheckLengths(y, target, gradient);
        float scale = weight / n;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            float difference = y[i] - target[i];
            sum += Math.Abs(difference);
            gradient[i] = scale * MathF.Sign(difference);
        }

        return (float)(sum / n);
    }

    /// <summary>
    /// Mean binary cross-entropy of probabilities <paramref name="p"/>, clamped to
    /// [<see cref="ProbabilityEpsilon"/>, 1 - <see cref="ProbabilityEpsilon"/>]; where the clamp applies the
    /// gradient is 0.
    /// </summary>
    /// <param name="p">Probabilities, [batch, units].</param>
    /// <param name="target">Targets in [0, 1], same length.</param>
    /// <param name="gradient">Gradient with respect to <paramref name="p"/>; overwritten.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    public static float BinaryCrossEntropy(ReadOnlySpan<float> p, ReadOnlySpan<float> target, Span<float> gradient, float weight)
    {
        int n = CheckLengths(p, target, gradient);
        float scale = weight / n;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double t = target[i];
            bool clamped = p[i] < ProbabilityEpsilon || p[i] > 1f - ProbabilityEpsilon;
            double q = Math.Clamp(p[i], ProbabilityEpsilon, 1.0 - ProbabilityEpsilon);
            sum -= (t * Math.Log(q)) + ((1 - t) * Math.Log(1 - q));
            gradient[i] = clamped ? 0f : (float)(scale * (q - t) / (q * (1 - q)));
        }

        return (float)(sum / n);
    }

    /// <summary>
    /// Mean binary cross-entropy of <c>sigmoid(logits)</c>, computed from the logits as
    /// <c>max(z, 0) - z·t + log(1 + exp(-|z|))</c> so that it stays finite for large logits.
    /// </summary>
    /// <param name="logits">Pre-sigmoid values, [batch, units].</param>
    /// <param name="target">Targets in [0, 1], same length.</param>
    /// <param name="gradient">Gradient with respect to <paramref name="logits"/>; overwritten.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    public static float BinaryCrossEntropyFromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> target, Span<float> gradient, float weight)
    {
        int n = CheckLengths(logits, target, gradient);
        float scale = weight / n;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double z = logits[i];
            double t = target[i];
            sum += Math.Max(z, 0) - (z * t) + Math.Log(1 + Math.Exp(-Math.Abs(z)));
            gradient[i] = scale * (ActivationKernel.Sigmoid(logits[i]) - target[i]);
        }

        return (float)(sum / n);
    }

    /// <summary>
    /// Mean over samples of <c>-log softmax(logits)[label]</c>, computed with the log-sum-exp shift so that it
    /// stays finite for large logits. The gradient is <c>weight · (softmax - onehot) / batch</c>.
    /// </summary>
    /// <param name="logits">Logits, [batch, classes].</param>
    /// <param name="labels">Class of each sample, in [0, classes).</param>
    /// <param name="gradient">Gradient with respect to <paramref name="logits"/>; overwritten.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="weight">Factor of this loss in the total.</param>
    public static float SparseCategoricalCrossEntropyFromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> gradient, int classes, float weight)
    {
        int batch = labels.Length;
        if (logits.Length != batch * classes || gradient.Length < batch * classes)
        {
            throw new ArgumentException($"Cross-entropy buffers do not match {batch} labels of {classes} classes: logits {logits.Length}, gradient {gradient.Length}.");
        }

        float scale = weight / batch;
        double sum = 0;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> row = logits.Slice(b * classes, classes);
            Span<float> gradientRow = gradient.Slice(b * classes, classes);
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

            int label = labels[b];
            sum += Math.Log(expSum) - (row[label] - max);
            for (int c = 0; c < classes; c++)
            {
                float probability = (float)(Math.Exp(row[c] - max) / expSum);
                gradientRow[c] = scale * (c == label ? probability - 1f : probability);
            }
        }

        return (float)(sum / batch);
    }

    private static int CheckLengths(ReadOnlySpan<float> y, ReadOnlySpan<float> target, ReadOnlySpan<float> gradient)
    {
        if (target.Length != y.Length || gradient.Length < y.Length || y.Length == 0)
        {
            throw new ArgumentException($"Loss buffers do not match: outputs {y.Length}, targets {target.Length}, gradient {gradient.Length}.");
        }

        return y.Length;
    }
}
