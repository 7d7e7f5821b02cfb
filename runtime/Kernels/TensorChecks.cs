using System;
using System.Globalization;

namespace ModelGen.Kernels;

/// <summary>
/// Argument checks of the generated methods. Each throws <see cref="ArgumentException"/> (or
/// <see cref="ArgumentOutOfRangeException"/>) naming the parameter, the input or head, and the first bad index,
/// and is called before any weight or optimizer state changes.
/// </summary>
public static class TensorChecks
{
    /// <summary>Returns the batch size of <paramref name="values"/>, which must hold a whole number of samples.</summary>
    /// <param name="values">Input values, row-major [batch, size].</param>
    /// <param name="size">Features per sample.</param>
    /// <param name="parameterName">Name of the method parameter.</param>
    /// <param name="input">Name of the network input.</param>
    public static int BatchSize(ReadOnlySpan<float> values, int size, string parameterName, string input)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException(
                $"Input '{input}' has no values (the span is empty or null); pass at least one sample of {size} values.", parameterName);
        }

        if (values.Length % size != 0)
        {
            throw new ArgumentException(
                $"Input '{input}' has {values.Length} values, which is not a whole number of samples of {size} values " +
                $"({values.Length / size} whole sample(s) of {size} and {values.Length % size} value(s) left over).", parameterName);
        }

        CheckFinite(values, size, parameterName, "Input", input, "feature");
        return values.Length / size;
    }

    /// <summary>Checks that a further input has <paramref name="batch"/> finite samples.</summary>
    /// <param name="values">Input values, row-major [batch, size].</param>
    /// <param name="batch">Batch size taken from the first input.</param>
    /// <param name="size">Features per sample.</param>
    /// <param name="parameterName">Name of the method parameter.</param>
    /// <param name="input">Name of the network input.</param>
    /// <param name="firstParameterName">Name of the parameter the batch size was taken from.</param>
    public static void SameBatch(ReadOnlySpan<float> values, int batch, int size, string parameterName, string input, string firstParameterName)
    {
        if (values.Length != batch * size)
        {
            throw new ArgumentException(
                $"Input '{input}' has {values.Length} values, but '{firstParameterName}' holds {batch} samples, so " +
                $"{batch * size} values ({batch} × {size}) are expected.", parameterName);
        }

        CheckFinite(values, size, parameterName, "Input", input, "feature");
    }

    /// <summary>Checks the length and finiteness of a head's target.</summary>
    /// <param name="target">Target values, row-major [batch, units].</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="units">Units of the head.</param>
    /// <param name="parameterName">Name of the method parameter.</param>
    /// <param name="head">Name of the head.</param>
    public static void Target(ReadOnlySpan<float> target, int batch, int units, string parameterName, string head) =>
        Target(target, batch, units, parameterName, head, default);

    /// <summary>
    /// Checks the length of a head's target and the finiteness of the rows whose sample weight is not 0 (targets
    /// of unlabelled samples are ignored and may be NaN).
    /// </summary>
    /// <param name="target">Target values, row-major [batch, units].</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="units">Units of the head.</param>
    /// <param name="parameterName">Name of the method parameter.</param>
    /// <param name="head">Name of the head.</param>
    /// <param name="sampleWeights">Checked sample weights, or empty for weight 1 everywhere.</param>
    public static void Target(ReadOnlySpan<float> target, int batch, int units, string parameterName, string head, ReadOnlySpan<float> sampleWeights)
    {
        if (target.Length != batch * units)
        {
            string hint = target.Length % batch == 0
                ? (target.Length == 0
                    ? " It has no values: the span is empty or null. To train without this head, call the training method of the other heads."
                    : $" It looks like shape [{batch}, {target.Length / batch}], but head '{head}' has {units} {(units == 1 ? "unit" : "units")}.")
                : target.Length % units == 0
                    ? $" It holds {target.Length / units} {(target.Length / units == 1 ? "row" : "rows")} of {units}; pass one row per sample."
                    : string.Empty;
            throw new ArgumentException(
                $"Target of head '{head}' has {target.Length} values; the batch has {batch} samples, so shape " +
                $"[{batch}, {units}] ({batch * units} values) is expected.{hint}", parameterName);
        }

        if (sampleWeights.IsEmpty)
        {
            CheckFinite(target, units, parameterName, "Target of head", head, "unit");
            return;
        }

        for (int b = 0; b < batch; b++)
        {
            if (sampleWeights[b] != 0f)
            {
                int bad = target.Slice(b * units, units).IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
                if (bad >= 0)
                {
                    int index = (b * units) + bad;
                    throw new ArgumentException(
                        $"Target of head '{head}' contains {target[index].ToString(CultureInfo.InvariantCulture)} at index {index} " +
                        $"(sample {b}, unit {bad}), a sample of weight {sampleWeights[b].ToString(CultureInfo.InvariantCulture)}; " +
                        "targets must be finite wherever the sample weight is not 0.", parameterName);
                }
            }
        }
    }

    /// <summary>Checks the length and range of a head's class labels.</summary>
    /// <param name="labels">One class per sample.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="classes">Classes of the head.</param>
    /// <param name="parameterName">Name of the method parameter.</param>
    /// <param name="head">Name of the head.</param>
    public static void Labels(ReadOnlySpan<int> labels, int batch, int classes, string parameterName, string head) =>
        Labels(labels, batch, classes, parameterName, head, default);

    /// <summary>
    /// Checks a cross-entropy head's target like <see cref="Target(ReadOnlySpan{float}, int, int, string, string, ReadOnlySpan{float})"/>,
    /// and that every value whose sample weight is not 0 is a probability in [0, 1].
    /// </summary>
    /// <param name="target">Target values, row-major [batch, units].</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="units">Units of the head.</param>
    /// <param name="parameterName">Name of the method parameter.</param>
    /// <param name="head">Name of the head.</param>
    /// <param name="sampleWeights">Checked sample weights, or empty for weight 1 everywhere.</param>
    public static void ProbabilityTarget(ReadOnlySpan<float> target, int batch, int units, string parameterName, string head, ReadOnlySpan<float> sampleWeights)
    {
        Target(target, batch, units, parameterName, head, sampleWeights);
        for (int i = 0; i < target.Length; i++)
        {
            if ((target[i] < 0f || target[i] > 1f) && (sampleWeights.IsEmpty || sampleWeights[i / units] != 0f))
            {
                throw new ArgumentOutOfRangeException(
                    parameterName,
                    target[i],
                    $"Target of head '{head}' at index {i} (sample {i / units}, unit {i % units}) is {target[i].ToString(CultureInfo.InvariantCulture)}; " +
                    "cross-entropy targets are probabilities in [0, 1].");
            }
        }
    }

    /// <summary>Checks the length of a head's class labels and the range of those whose sample weight is not 0.</summary>
    /// <param name="labels">One class per sample.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="classes">Classes of the head.</param>
    /// <param name="parameterName">Name of the method parameter.</param>
    /// <param name="head">Name of the head.</param>
    /// <param name="sampleWeights">Checked sample weights, or empty for weight 1 everywhere.</param>
    public static void Labels(ReadOnlySpan<int> labels, int batch, int classes, string parameterName, string head, ReadOnlySpan<float> sampleWeights)
    {
        if (labels.Length != batch)
        {
            throw new ArgumentException(
                $"Labels of head '{head}' hold {labels.Length} values; the batch has {batch} samples, so {batch} " +
                "labels (one class per sample) are expected.", parameterName);
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes && (sampleWeights.IsEmpty || sampleWeights[i] != 0f))
            {
                throw new ArgumentOutOfRangeException(
                    parameterName,
                    labels[i],
                    $"Label of head '{head}' at index {i} is {labels[i]}; classes are 0 to {classes - 1}.");
            }
        }
    }

    /// <summary>
    /// Checks one head's per-sample weights: one per sample, each finite and >= 0. Returns whether any weight is
    /// above 0, that is whether the batch has a labelled sample for this head.
    /// </summary>
    /// <param name="sampleWeights">One weight per sample.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="parameterName">Name of the method parameter.</param>
    /// <param name="head">Name of the head.</param>
    public static bool SampleWeights(ReadOnlySpan<float> sampleWeights, int batch, string parameterName, string head)
    {
        if (sampleWeights.Length != batch)
        {
            throw new ArgumentException(
                $"Sample weights of head '{head}' hold {sampleWeights.Length} values; the batch has {batch} samples, so " +
                $"{batch} weights (one per sample) are expected.", parameterName);
        }

        bool anyPositive = false;
        float sum = 0f;
        for (int i = 0; i < sampleWeights.Length; i++)
        {
            float w = sampleWeights[i];
            if (!(w >= 0f && float.IsFinite(w)))
            {
                throw new ArgumentException(
                    $"Sample weight of head '{head}' at index {i} is {w.ToString(CultureInfo.InvariantCulture)}; weights " +
                    "must be finite and >= 0 (0 marks a sample without a label for this head).", parameterName);
            }

            anyPositive |= w > 0f;
            sum += w;
        }

        if (anyPositive && !IsUsableWeightSum(sum))
        {
            throw new ArgumentException(WeightSumMessage(head, sum), parameterName);
        }

        return anyPositive;
    }

    /// <summary>
    /// Whether a positive sum of sample weights, added in single precision, leaves the loss's division by it finite
    /// and accurate: a normal float no larger than 10³⁰.
    /// </summary>
    internal static bool IsUsableWeightSum(float sum) => float.IsNormal(sum) && sum <= 1e30f;

    /// <summary>Returns the message for a sum of sample weights that <see cref="IsUsableWeightSum"/> rejects.</summary>
    internal static string WeightSumMessage(string head, float sum) =>
        $"Sample weights of head '{head}' in this batch add up to {sum.ToString(CultureInfo.InvariantCulture)}, too far " +
        "from 1 for a loss in single precision to divide by. Scale every weight by the same factor towards 1; only " +
        "their ratios change the loss.";

    /// <summary>Throws <see cref="InvalidOperationException"/> when a training call can update nothing because every layer it reaches is frozen.</summary>
    /// <param name="anyTrainable">Whether any layer the call reaches is trainable.</param>
    /// <param name="method">Name of the training method.</param>
    /// <param name="layers">Names of the layers the method can update.</param>
    public static void Trainable(bool anyTrainable, string method, string layers)
    {
        if (!anyTrainable)
        {
            throw new InvalidOperationException(
                $"{method} can update only {layers}, and all of them are frozen (Trainable = false), so the call would " +
                "change nothing. Unfreeze one of them or call another training method.");
        }
    }

    /// <summary>Checks that a caller's output buffer has exactly batch × units values.</summary>
    /// <param name="destination">Caller's buffer.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="units">Units of the head.</param>
    /// <param name="parameterName">Name of the method parameter.</param>
    /// <param name="head">Name of the head.</param>
    public static void Destination(Span<float> destination, int batch, int units, string parameterName, string head)
    {
        if (destination.Length != batch * units)
        {
            throw new ArgumentException(
                $"Output buffer of head '{head}' has {destination.Length} values; {batch * units} ({batch} × {units}) " +
                "are needed.", parameterName);
        }
    }

    /// <summary>Throws when a head's loss is not finite, before any parameter is updated.</summary>
    /// <param name="loss">Loss of the head.</param>
    /// <param name="parameterName">Name of the head's target parameter.</param>
    /// <param name="head">Name of the head.</param>
    public static void Loss(float loss, string parameterName, string head)
    {
        if (!float.IsFinite(loss))
        {
            throw new ArgumentException(
                $"Loss of head '{head}' is {loss.ToString(CultureInfo.InvariantCulture)} although inputs and targets " +
                "are finite; no parameter was changed. The weights or the data overflow float: scale the data or " +
                "lower the learning rate.", parameterName);
        }
    }

    /// <summary>Throws when a parameter's gradient is not finite, before any parameter is updated.</summary>
    /// <param name="parameter">A parameter whose gradient was just computed.</param>
    public static void Gradient(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        int index = VectorMath.IndexOfNonFinite(parameter.Gradient);
        if (index >= 0)
        {
            throw new ArgumentException(
                $"Gradient of '{parameter.Name}' is {parameter.Gradient[index].ToString(CultureInfo.InvariantCulture)} " +
                $"at index {index}; no parameter was changed. Scale the data or lower the learning rate.");
        }
    }

    // The message is built only when a value is bad, so that a passing check allocates nothing.
    private static void CheckFinite(ReadOnlySpan<float> values, int size, string parameterName, string kind, string name, string column)
    {
        int index = VectorMath.IndexOfNonFinite(values);
        if (index >= 0)
        {
            throw new ArgumentException(
                $"{kind} '{name}' contains {values[index].ToString(CultureInfo.InvariantCulture)} at index {index} " +
                $"(sample {index / size}, {column} {index % size}); every value must be finite.", parameterName);
        }
    }
}
