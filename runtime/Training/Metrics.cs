using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ModelGen.Training;

/// <summary>A quantity measured per head and epoch.</summary>
public enum Metric
{
    /// <summary>The head's loss (its <see cref="ModelGen.Loss"/>), mean over samples weighted by their sample weights; lower is better.</summary>
    Loss,

    /// <summary>Weighted mean of <c>|y - target|</c> over samples and units (regression heads: MSE, MAE, Huber); lower is better.</summary>
    MeanAbsoluteError,

    /// <summary>Weighted mean of <c>(y - target)²</c> over samples and units (regression heads); lower is better.</summary>
    MeanSquaredError,

    /// <summary>Square root of <see cref="MeanSquaredError"/> (regression heads); lower is better.</summary>
    RootMeanSquaredError,

    /// <summary>Weighted fraction of correct predictions (classification heads); higher is better.</summary>
    Accuracy,
}

/// <summary>
/// Counts of (actual, predicted) class pairs of a classification head. Rows are actual classes and columns
/// predicted classes, as in scikit-learn's <c>confusion_matrix</c>. Binary heads have classes 0 (target below
/// 0.5) and 1, counted per unit. Samples of sample weight 0 are left out, and the others count 1 each, whatever
/// their weight.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    internal ConfusionMatrix(int classes, long[] counts)
    {
        Classes = classes;
        _counts = counts;
    }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Returns the number of samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    /// <param name="actual">True class.</param>
    /// <param name="predicted">Predicted class.</param>
    public long this[int actual, int predicted] => _counts[(actual * Classes) + predicted];

    /// <summary>Number of counted predictions.</summary>
    public long Total
    {
        get
        {
            long total = 0;
            foreach (long count in _counts)
            {
                total += count;
            }

            return total;
        }
    }

    /// <summary>Returns the matrix as text, one row per actual class, with a header of predicted classes.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        int width = Math.Max(5, Total.ToString(CultureInfo.InvariantCulture).Length + 1);
        text.Append("actual\\pred");
        for (int p = 0; p < Classes; p++)
        {
            text.Append(p.ToString(CultureInfo.InvariantCulture).PadLeft(width));
        }

        for (int a = 0; a < Classes; a++)
        {
            text.AppendLine();
            text.Append(a.ToString(CultureInfo.InvariantCulture).PadLeft(11));
            for (int p = 0; p < Classes; p++)
            {
                text.Append(this[a, p].ToString(CultureInfo.InvariantCulture).PadLeft(width));
            }
        }

        return text.ToString();
    }
}

/// <summary>
/// Loss and metrics of one head over a pass through a dataset. Regression heads (mean squared error, mean absolute
/// error, Huber) have the error metrics; classification heads (binary, categorical or sparse categorical
/// cross-entropy) have accuracy and a confusion matrix. The others are <see langword="null"/>.
/// </summary>
/// <remarks>
/// Every value is a mean weighted by the dataset's sample weights for this head (weight 1 each without them), so
/// samples of weight 0 are left out. When no sample of the pass has a weight above 0, <see cref="Samples"/> is 0
/// and the loss and metrics are NaN: the head was measured but had nothing to measure.
/// </remarks>
public sealed class HeadMetrics
{
    internal HeadMetrics(Layer head, int samples, double sampleWeightSum, double loss, double? meanAbsoluteError, double? meanSquaredError, double? accuracy, ConfusionMatrix? confusionMatrix)
    {
        Head = head;
        Samples = samples;
        SampleWeightSum = sampleWeightSum;
        Loss = loss;
        MeanAbsoluteError = meanAbsoluteError;
        MeanSquaredError = meanSquaredError;
        Accuracy = accuracy;
        ConfusionMatrix = confusionMatrix;
    }

    /// <summary>The head layer.</summary>
    public Layer Head { get; }

    /// <summary>Samples the values are averaged over: those whose sample weight is above 0.</summary>
    public int Samples { get; }

    /// <summary>Sum of the sample weights of the pass; equals <see cref="Samples"/> when the dataset has no weights for this head.</summary>
    public double SampleWeightSum { get; }

    /// <summary>
    /// Mean loss per sample: each batch's loss weighted by the batch's sum of sample weights (its size without
    /// weights); NaN when <see cref="Samples"/> is 0.
    /// </summary>
    public double Loss { get; }

    /// <summary>Weighted mean absolute error over samples and units, for regression heads; NaN when <see cref="Samples"/> is 0.</summary>
    public double? MeanAbsoluteError { get; }

    /// <summary>Weighted mean squared error over samples and units, for regression heads; NaN when <see cref="Samples"/> is 0.</summary>
    public double? MeanSquaredError { get; }

    /// <summary>Square root of <see cref="MeanSquaredError"/>, for regression heads.</summary>
    public double? RootMeanSquaredError => MeanSquaredError is { } mse ? Math.Sqrt(mse) : null;

    /// <summary>Weighted fraction of correct predictions, for classification heads; NaN when <see cref="Samples"/> is 0.</summary>
    public double? Accuracy { get; }

    /// <summary>Counts of actual and predicted classes, for classification heads.</summary>
    public ConfusionMatrix? ConfusionMatrix { get; }

    /// <summary>Returns <paramref name="metric"/>, or NaN when this head does not have it.</summary>
    /// <param name="metric">The metric to read.</param>
    public double Get(Metric metric) => metric switch
    {
        Metric.Loss => Loss,
        Metric.MeanAbsoluteError => MeanAbsoluteError ?? double.NaN,
        Metric.MeanSquaredError => MeanSquaredError ?? double.NaN,
        Metric.RootMeanSquaredError => RootMeanSquaredError ?? double.NaN,
        _ => Accuracy ?? double.NaN,
    };

    /// <inheritdoc/>
    public override string ToString()
    {
        string text = $"{Head.Name} loss {Loss.ToString("G4", CultureInfo.InvariantCulture)}";
        if (Accuracy is { } accuracy)
        {
            text += $" acc {accuracy.ToString("G4", CultureInfo.InvariantCulture)}";
        }

        if (MeanAbsoluteError is { } mae)
        {
            text += $" mae {mae.ToString("G4", CultureInfo.InvariantCulture)}";
        }

        return text;
    }
}

/// <summary>The total loss and per-head metrics of one pass (a training epoch, a validation pass or an evaluation).</summary>
public sealed class MetricSet
{
    private readonly HeadMetrics[] _heads;

    internal MetricSet(double loss, HeadMetrics[] heads)
    {
        Loss = loss;
        _heads = heads;
    }

    /// <summary>
    /// Total loss: for training, the batch-size-weighted mean of each step's weighted total; for evaluation,
    /// <c>Σ weight·loss</c> over the heads measured that have a sample of weight above 0, or NaN when none has.
    /// </summary>
    public double Loss { get; }

    /// <summary>Metrics of each head measured, in declaration order.</summary>
    public IReadOnlyList<HeadMetrics> Heads => _heads;

    /// <summary>Returns the metrics of <paramref name="head"/>, or <see langword="null"/> when it was not measured.</summary>
    /// <param name="head">A head layer of the model, e.g. <c>model.Digit</c>.</param>
    public HeadMetrics? this[Layer head]
    {
        get
        {
            foreach (HeadMetrics metrics in _heads)
            {
                if (ReferenceEquals(metrics.Head, head))
                {
                    return metrics;
                }
            }

            return null;
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"loss {Loss.ToString("G4", CultureInfo.InvariantCulture)} ({string.Join("; ", Array.ConvertAll(_heads, h => h.ToString()))})";
}

/// <summary>
/// Sums one head's loss and metrics over the batches of a pass, weighted by the sample weights, without
/// allocating per batch. Without weights every sample counts 1, which gives the same bits as all-ones weights.
/// </summary>
internal sealed class HeadAccumulator
{
    private readonly Layer _head;
    private readonly Loss _loss;
    private readonly int _units;
    private readonly long[]? _confusion;
    private double _lossSum;
    private double _weightSum;
    private int _samples;
    private double _absoluteSum;
    private double _squaredSum;
    private double _elements;
    private double _correct;

    public HeadAccumulator(Layer head)
    {
        _head = head;
        _loss = head.Head!.Loss;
        _units = head.Size;
        _confusion = _loss switch
        {
            Loss.SparseCategoricalCrossEntropy or Loss.CategoricalCrossEntropy => new long[_units * _units],
            Loss.BinaryCrossEntropy => new long[4],
            _ => null,
        };
    }

    /// <summary>Weighted mean loss of the batches added so far; NaN before the first sample of weight above 0.</summary>
    public double RunningLoss => _weightSum == 0 ? double.NaN : _lossSum / _weightSum;

    public void Reset()
    {
        _lossSum = _weightSum = _absoluteSum = _squaredSum = _elements = _correct = 0;
        _samples = 0;
        if (_confusion is not null)
        {
            Array.Clear(_confusion);
        }
    }

    /// <summary>Adds one batch.</summary>
    /// <param name="batch">Rows in the batch.</param>
    /// <param name="loss">The batch's loss as the loss kernel returns it: <c>Σ w·l / Σ w</c>, or 0 when every weight is 0.</param>
    /// <param name="outputs">The head's outputs, batch × units.</param>
    /// <param name="targets">Float targets, or empty for class labels.</param>
    /// <param name="labels">Class labels, or empty for float targets.</param>
    /// <param name="sampleWeights">One weight per row, or empty for weight 1 everywhere. Rows of weight 0 are skipped, so their targets are not read.</param>
    public void Add(int batch, float loss, ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels, ReadOnlySpan<float> sampleWeights)
    {
        double batchWeight = 0;
        for (int b = 0; b < batch; b++)
        {
            double weight = sampleWeights.IsEmpty ? 1 : sampleWeights[b];
            if (weight == 0)
            {
                continue;
            }

            batchWeight += weight;
            _samples++;
            AddRow(b, weight, outputs, targets, labels);
        }

        _lossSum += (double)loss * batchWeight;
        _weightSum += batchWeight;
    }

    public HeadMetrics Result()
    {
        double loss = _weightSum == 0 ? double.NaN : _lossSum / _weightSum;
        double Mean(double sum) => _elements == 0 ? double.NaN : sum / _elements;
        if (_confusion is null)
        {
            return new HeadMetrics(_head, _samples, _weightSum, loss, Mean(_absoluteSum), Mean(_squaredSum), null, null);
        }

        int classes = _loss == Loss.BinaryCrossEntropy ? 2 : _units;
        return new HeadMetrics(_head, _samples, _weightSum, loss, null, null, Mean(_correct), new ConfusionMatrix(classes, (long[])_confusion.Clone()));
    }

    private void AddRow(int b, double weight, ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels)
    {
        ReadOnlySpan<float> output = outputs.Slice(b * _units, _units);
        switch (_loss)
        {
            case Loss.SparseCategoricalCrossEntropy:
            {
                int predicted = ArgMax(output);
                int actual = labels[b];
                _confusion![(actual * _units) + predicted]++;
                _correct += predicted == actual ? weight : 0;
                _elements += weight;
                break;
            }

            case Loss.CategoricalCrossEntropy:
            {
                // The actual class of a one-hot (or soft) target row is its arg-max.
                int predicted = ArgMax(output);
                int actual = ArgMax(targets.Slice(b * _units, _units));
                _confusion![(actual * _units) + predicted]++;
                _correct += predicted == actual ? weight : 0;
                _elements += weight;
                break;
            }

            case Loss.BinaryCrossEntropy:
                for (int u = 0; u < _units; u++)
                {
                    int predicted = output[u] > 0.5f ? 1 : 0;
                    int actual = targets[(b * _units) + u] >= 0.5f ? 1 : 0;
                    _confusion![(actual * 2) + predicted]++;
                    _correct += predicted == actual ? weight : 0;
                    _elements += weight;
                }

                break;
            default:
                for (int u = 0; u < _units; u++)
                {
                    double difference = (double)output[u] - targets[(b * _units) + u];
                    _absoluteSum += weight * Math.Abs(difference);
                    _squaredSum += weight * difference * difference;
                    _elements += weight;
                }

                break;
        }
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int i = 1; i < row.Length; i++)
        {
            if (row[i] > row[best])
            {
                best = i;
            }
        }

        return best;
    }
}
