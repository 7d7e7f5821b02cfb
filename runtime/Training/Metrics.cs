using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ModelGen.Training;

/// <summary>A quantity measured per head and epoch.</summary>
public enum Metric
{
    /// <summary>The head's loss (its <see cref="ModelGen.Loss"/>), mean over samples; lower is better.</summary>
    Loss,

    /// <summary>Mean of <c>|y - target|</c> over samples and units (regression heads: MSE, MAE, Huber); lower is better.</summary>
    MeanAbsoluteError,

    /// <summary>Mean of <c>(y - target)²</c> over samples and units (regression heads); lower is better.</summary>
    MeanSquaredError,

    /// <summary>Square root of <see cref="MeanSquaredError"/> (regression heads); lower is better.</summary>
    RootMeanSquaredError,

    /// <summary>Fraction of correct predictions (classification heads); higher is better.</summary>
    Accuracy,
}

/// <summary>
/// Counts of (actual, predicted) class pairs of a classification head. Rows are actual classes and columns
/// predicted classes, as in scikit-learn's <c>confusion_matrix</c>. Binary heads have classes 0 (target below
/// 0.5) and 1, counted per unit.
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
public sealed class HeadMetrics
{
    internal HeadMetrics(Layer head, int samples, double loss, double? meanAbsoluteError, double? meanSquaredError, double? accuracy, ConfusionMatrix? confusionMatrix)
    {
        Head = head;
        Samples = samples;
        Loss = loss;
        MeanAbsoluteError = meanAbsoluteError;
        MeanSquaredError = meanSquaredError;
        Accuracy = accuracy;
        ConfusionMatrix = confusionMatrix;
    }

    /// <summary>The head layer.</summary>
    public Layer Head { get; }

    /// <summary>Samples the values are averaged over.</summary>
    public int Samples { get; }

    /// <summary>Mean loss per sample: batch losses weighted by batch size.</summary>
    public double Loss { get; }

    /// <summary>Mean absolute error over samples and units, for regression heads.</summary>
    public double? MeanAbsoluteError { get; }

    /// <summary>Mean squared error over samples and units, for regression heads.</summary>
    public double? MeanSquaredError { get; }

    /// <summary>Square root of <see cref="MeanSquaredError"/>, for regression heads.</summary>
    public double? RootMeanSquaredError => MeanSquaredError is { } mse ? Math.Sqrt(mse) : null;

    /// <summary>Fraction of correct predictions, for classification heads.</summary>
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
    /// <c>Σ weight·loss</c> over the heads measured.
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

/// <summary>Sums one head's loss and metrics over the batches of a pass, without allocating per batch.</summary>
internal sealed class HeadAccumulator
{
    private readonly Layer _head;
    private readonly Loss _loss;
    private readonly int _units;
    private readonly long[]? _confusion;
    private double _lossSum;
    private int _samples;
    private double _absoluteSum;
    private double _squaredSum;
    private long _elements;
    private long _correct;

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

    public bool IsEmpty => _samples == 0;

    /// <summary>Mean loss of the batches added so far; NaN before the first.</summary>
    public double RunningLoss => _samples == 0 ? double.NaN : _lossSum / _samples;

    public void Reset()
    {
        _lossSum = _absoluteSum = _squaredSum = 0;
        _samples = 0;
        _elements = _correct = 0;
        if (_confusion is not null)
        {
            Array.Clear(_confusion);
        }
    }

    public void Add(int batch, float loss, ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels)
    {
        _lossSum += (double)loss * batch;
        _samples += batch;
        switch (_loss)
        {
            case Loss.SparseCategoricalCrossEntropy:
                for (int b = 0; b < batch; b++)
                {
                    int predicted = ArgMax(outputs.Slice(b * _units, _units));
                    int actual = labels[b];
                    _confusion![(actual * _units) + predicted]++;
                    _correct += predicted == actual ? 1 : 0;
                }

                _elements += batch;
                break;
            case Loss.CategoricalCrossEntropy:
                // The actual class of a one-hot (or soft) target row is its arg-max.
                for (int b = 0; b < batch; b++)
                {
                    int predicted = ArgMax(outputs.Slice(b * _units, _units));
                    int actual = ArgMax(targets.Slice(b * _units, _units));
                    _confusion![(actual * _units) + predicted]++;
                    _correct += predicted == actual ? 1 : 0;
                }

                _elements += batch;
                break;
            case Loss.BinaryCrossEntropy:
                for (int i = 0; i < outputs.Length; i++)
                {
                    int predicted = outputs[i] > 0.5f ? 1 : 0;
                    int actual = targets[i] >= 0.5f ? 1 : 0;
                    _confusion![(actual * 2) + predicted]++;
                    _correct += predicted == actual ? 1 : 0;
                }

                _elements += outputs.Length;
                break;
            default:
                for (int i = 0; i < outputs.Length; i++)
                {
                    double difference = (double)outputs[i] - targets[i];
                    _absoluteSum += Math.Abs(difference);
                    _squaredSum += difference * difference;
                }

                _elements += outputs.Length;
                break;
        }
    }

    public HeadMetrics Result()
    {
        double loss = _lossSum / _samples;
        if (_confusion is null)
        {
            return new HeadMetrics(_head, _samples, loss, _absoluteSum / _elements, _squaredSum / _elements, null, null);
        }

        int classes = _loss == Loss.BinaryCrossEntropy ? 2 : _units;
        return new HeadMetrics(_head, _samples, loss, null, null, (double)_correct / _elements, new ConfusionMatrix(classes, (long[])_confusion.Clone()));
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
