using System;
using System.Collections.Generic;
using System.Globalization;
using ModelGen.Initialization;

namespace ModelGen.Training;

/// <summary>
/// In-memory samples for <c>Fit</c> and <c>Evaluate</c>: the values of every input and the targets of some or all
/// heads, row-major, with optional per-sample weights for each head. Each generated model has a typed subclass,
/// <c>MyModel.Dataset</c>, whose constructor takes one argument per input and head, then one optional sample-weight
/// argument per head. The arrays are copied, so later changes to them do not affect the dataset.
/// </summary>
/// <remarks>
/// A sample weight of 0 marks a sample without a label for that head: <c>Fit</c> and <c>Evaluate</c> skip it for
/// that head, and its target may be NaN (or its class label out of range). A head without sample weights gives
/// every sample weight 1.
/// </remarks>
public abstract class Dataset
{
    private readonly DataColumn[] _inputs;
    private readonly DataColumn?[] _targets;

    /// <summary>Checks that every column has the same number of rows and stores copies of them.</summary>
    /// <param name="modelType">The model class the dataset belongs to.</param>
    /// <param name="inputs">One column per input, in declaration order.</param>
    /// <param name="targets">
    /// One column per head in declaration order, with the head's sample weights if any; <see langword="null"/>
    /// where the dataset has no targets for that head.
    /// </param>
    /// <exception cref="ArgumentException">Columns differ in row count, or the dataset has no rows.</exception>
    protected Dataset(Type modelType, DataColumn[] inputs, DataColumn?[] targets)
    {
        ArgumentNullException.ThrowIfNull(modelType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ModelType = modelType;
        _inputs = inputs;
        _targets = targets;
        DataColumn first = inputs[0];
        foreach (DataColumn? column in (IEnumerable<DataColumn?>)[.. inputs, .. targets])
        {
            if (column is not null && column.Rows != first.Rows)
            {
                throw new ArgumentException(
                    $"'{column.ArgumentName}' has {column.Rows} rows but '{first.ArgumentName}' has {first.Rows}; every input and target needs one row per sample.",
                    column.ArgumentName);
            }
        }

        if (first.Rows == 0)
        {
            throw new ArgumentException($"The dataset has no rows: '{first.ArgumentName}' is empty.", first.ArgumentName);
        }

        Count = first.Rows;
    }

    /// <summary>Copies the rows <paramref name="rows"/> of <paramref name="source"/>, in that order.</summary>
    /// <param name="source">Dataset to take rows from.</param>
    /// <param name="rows">Row indices; each in [0, source.Count), repeats allowed.</param>
    protected Dataset(Dataset source, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (rows.IsEmpty)
        {
            throw new ArgumentException("A subset needs at least one row.", nameof(rows));
        }

        foreach (int row in rows)
        {
            if ((uint)row >= (uint)source.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), row, $"Row {row} is outside the dataset's {source.Count} rows.");
            }
        }

        ModelType = source.ModelType;
        Count = rows.Length;
        _inputs = new DataColumn[source._inputs.Length];
        for (int i = 0; i < _inputs.Length; i++)
        {
            _inputs[i] = source._inputs[i].Select(rows);
        }

        _targets = new DataColumn?[source._targets.Length];
        for (int h = 0; h < _targets.Length; h++)
        {
            _targets[h] = source._targets[h]?.Select(rows);
        }
    }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>The model class whose inputs and heads the columns follow.</summary>
    public Type ModelType { get; }

    /// <summary>Input columns in declaration order.</summary>
    internal IReadOnlyList<DataColumn> Inputs => _inputs;

    /// <summary>Target columns, one per head in declaration order, <see langword="null"/> where absent.</summary>
    internal IReadOnlyList<DataColumn?> Targets => _targets;

    /// <summary>Returns whether the dataset has sample weights for the head at <paramref name="head"/> (declaration order).</summary>
    internal bool HasSampleWeights(int head) => _targets[head]?.SampleWeights is not null;

    /// <summary>Returns 0 … <paramref name="count"/> - 1 in a random order that depends only on <paramref name="seed"/>.</summary>
    /// <param name="count">Number of rows; 0 or more.</param>
    /// <param name="seed">Seed of the permutation (SplitMix64 with a Fisher–Yates shuffle).</param>
    public static int[] ShuffledRows(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var rows = new int[count];
        for (int i = 0; i < count; i++)
        {
            rows[i] = i;
        }

        var random = new SplitMix64((ulong)(uint)seed);
        Shuffle(rows, ref random);
        return rows;
    }

    internal static void Shuffle(Span<int> rows, ref SplitMix64 random)
    {
        for (int i = rows.Length - 1; i > 0; i--)
        {
            int j = random.NextInt32(i + 1);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
    }
}

/// <summary>One input's values or one head's targets in a <see cref="Dataset"/>, row-major.</summary>
public sealed class DataColumn
{
    private DataColumn(string name, string argumentName, int width, float[]? values, int[]? labels, int rows, float[]? sampleWeights = null)
    {
        Name = name;
        ArgumentName = argumentName;
        Width = width;
        Values = values;
        Labels = labels;
        Rows = rows;
        SampleWeights = sampleWeights;
    }

    /// <summary>Name of the input or head.</summary>
    public string Name { get; }

    /// <summary>Name of the constructor argument, for messages.</summary>
    public string ArgumentName { get; }

    /// <summary>Values per row: the input's size, the head's units, or 1 for class labels.</summary>
    public int Width { get; }

    /// <summary>Values, rows × <see cref="Width"/>; <see langword="null"/> for class labels.</summary>
    internal float[]? Values { get; }

    /// <summary>Class labels, one per row; <see langword="null"/> for float values.</summary>
    internal int[]? Labels { get; }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>One weight per row for a head's targets, or <see langword="null"/> for weight 1 everywhere.</summary>
    internal float[]? SampleWeights { get; }

    /// <summary>Returns a column of finite values, <paramref name="width"/> per row, copied from <paramref name="values"/>.</summary>
    /// <param name="name">Name of the input or head.</param>
    /// <param name="width">Values per row; positive.</param>
    /// <param name="values">Rows × width values.</param>
    /// <param name="argumentName">Name of the constructor argument, for messages.</param>
    /// <exception cref="ArgumentException">The length is not a multiple of the width, or a value is not finite.</exception>
    public static DataColumn FromValues(string name, int width, float[] values, string argumentName)
    {
        ArgumentNullException.ThrowIfNull(values, argumentName);
        if (values.Length % width != 0)
        {
            throw new ArgumentException(
                $"'{argumentName}' ({name}) has {values.Length} values, which is not a multiple of {width} values per row.", argumentName);
        }

        int bad = Array.FindIndex(values, static v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw new ArgumentException(
                $"'{argumentName}' ({name}) contains {values[bad].ToString(CultureInfo.InvariantCulture)} at index {bad} (row {bad / width}); every value must be finite.", argumentName);
        }

        return new DataColumn(name, argumentName, width, (float[])values.Clone(), null, values.Length / width);
    }

    /// <summary>Returns a column of class labels in [0, <paramref name="classes"/>), one per row, copied from <paramref name="labels"/>.</summary>
    /// <param name="name">Name of the head.</param>
    /// <param name="classes">Number of classes; positive.</param>
    /// <param name="labels">One label per row.</param>
    /// <param name="argumentName">Name of the constructor argument, for messages.</param>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, classes).</exception>
    public static DataColumn FromLabels(string name, int classes, int[] labels, string argumentName)
    {
        ArgumentNullException.ThrowIfNull(labels, argumentName);
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(argumentName, labels[i], $"Label of head '{name}' at row {i} is {labels[i]}; classes are 0 to {classes - 1}.");
            }
        }

        return new DataColumn(name, argumentName, 1, null, (int[])labels.Clone(), labels.Length);
    }

    /// <summary>
    /// Returns a column of a head's targets, <paramref name="units"/> per row, with optional per-sample weights, or
    /// <see langword="null"/> when both <paramref name="targets"/> and <paramref name="sampleWeights"/> are null.
    /// Both arrays are copied.
    /// </summary>
    /// <param name="head">Name of the head.</param>
    /// <param name="units">Values per row; positive.</param>
    /// <param name="targets">Rows × units targets, or <see langword="null"/> when the dataset has none for this head.</param>
    /// <param name="argumentName">Name of the targets' constructor argument, for messages.</param>
    /// <param name="sampleWeights">
    /// One weight per row, finite and >= 0, or <see langword="null"/> for weight 1 everywhere. A weight of 0 marks a
    /// row without a label for this head, whose targets may be NaN.
    /// </param>
    /// <param name="sampleWeightsArgumentName">Name of the sample weights' constructor argument, for messages.</param>
    /// <exception cref="ArgumentException">
    /// Weights are given without targets, the lengths do not match, a weight is negative or not finite, or a target
    /// of a row whose weight is not 0 is not finite.
    /// </exception>
    public static DataColumn? ForHead(string head, int units, float[]? targets, string argumentName, float[]? sampleWeights, string sampleWeightsArgumentName)
    {
        if (targets is null)
        {
            RejectWeightsWithoutTargets(head, argumentName, sampleWeights, sampleWeightsArgumentName);
            return null;
        }

        if (targets.Length % units != 0)
        {
            throw new ArgumentException(
                $"'{argumentName}' ({head}) has {targets.Length} values, which is not a multiple of {units} values per row.", argumentName);
        }

        int rows = targets.Length / units;
        if (sampleWeights is not null)
        {
            CheckSampleWeights(head, rows, argumentName, sampleWeights, sampleWeightsArgumentName);
        }

        // As TensorChecks.Target: only the targets of rows whose weight is not 0 are read, so only they must be finite.
        for (int row = 0; row < rows; row++)
        {
            if (sampleWeights is not null && sampleWeights[row] == 0f)
            {
                continue;
            }

            int bad = targets.AsSpan(row * units, units).IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
            if (bad >= 0)
            {
                int index = (row * units) + bad;
                string value = targets[index].ToString(CultureInfo.InvariantCulture);
                throw new ArgumentException(
                    sampleWeights is null
                        ? $"'{argumentName}' ({head}) contains {value} at index {index} (row {row}); every target must be finite. " +
                          $"To mark a missing label, pass '{sampleWeightsArgumentName}' with weight 0 for that row."
                        : $"'{argumentName}' ({head}) contains {value} at index {index} (row {row}), whose weight in '{sampleWeightsArgumentName}' is " +
                          $"{sampleWeights[row].ToString(CultureInfo.InvariantCulture)}; targets must be finite wherever the sample weight is not 0. " +
                          "Set the row's weight to 0 to mark a missing label.",
                    argumentName);
            }
        }

        return new DataColumn(head, argumentName, units, (float[])targets.Clone(), null, rows, (float[]?)sampleWeights?.Clone());
    }

    /// <summary>
    /// Returns a column of a head's class labels in [0, <paramref name="classes"/>), one per row, with optional
    /// per-sample weights, or <see langword="null"/> when both <paramref name="labels"/> and
    /// <paramref name="sampleWeights"/> are null. Both arrays are copied.
    /// </summary>
    /// <param name="head">Name of the head.</param>
    /// <param name="classes">Number of classes; positive.</param>
    /// <param name="labels">One label per row, or <see langword="null"/> when the dataset has none for this head.</param>
    /// <param name="argumentName">Name of the labels' constructor argument, for messages.</param>
    /// <param name="sampleWeights">
    /// One weight per row, finite and >= 0, or <see langword="null"/> for weight 1 everywhere. A weight of 0 marks a
    /// row without a label for this head, whose label is not read and may be out of range (e.g. -1).
    /// </param>
    /// <param name="sampleWeightsArgumentName">Name of the sample weights' constructor argument, for messages.</param>
    /// <exception cref="ArgumentException">
    /// Weights are given without labels, the lengths do not match, or a weight is negative or not finite.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A label of a row whose weight is not 0 is outside [0, classes).</exception>
    public static DataColumn? ForHead(string head, int classes, int[]? labels, string argumentName, float[]? sampleWeights, string sampleWeightsArgumentName)
    {
        if (labels is null)
        {
            RejectWeightsWithoutTargets(head, argumentName, sampleWeights, sampleWeightsArgumentName);
            return null;
        }

        if (sampleWeights is null)
        {
            int bad = Array.FindIndex(labels, label => (uint)label >= (uint)classes);
            if (bad >= 0)
            {
                throw new ArgumentOutOfRangeException(
                    argumentName,
                    labels[bad],
                    $"Label of head '{head}' at row {bad} is {labels[bad]}; classes are 0 to {classes - 1}. To mark a missing label, " +
                    $"pass '{sampleWeightsArgumentName}' with weight 0 for that row.");
            }

            return FromLabels(head, classes, labels, argumentName);
        }

        CheckSampleWeights(head, labels.Length, argumentName, sampleWeights, sampleWeightsArgumentName);
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes && sampleWeights[i] != 0f)
            {
                throw new ArgumentOutOfRangeException(
                    argumentName,
                    labels[i],
                    $"Label of head '{head}' at row {i} is {labels[i]}, and its weight in '{sampleWeightsArgumentName}' is " +
                    $"{sampleWeights[i].ToString(CultureInfo.InvariantCulture)}; classes are 0 to {classes - 1}. Set the row's weight to 0 to mark a missing label.");
            }
        }

        return new DataColumn(head, argumentName, 1, null, (int[])labels.Clone(), labels.Length, (float[])sampleWeights.Clone());
    }

    internal DataColumn Select(ReadOnlySpan<int> rows)
    {
        float[]? sampleWeights = null;
        if (SampleWeights is not null)
        {
            sampleWeights = new float[rows.Length];
            for (int i = 0; i < rows.Length; i++)
            {
                sampleWeights[i] = SampleWeights[rows[i]];
            }
        }

        if (Labels is not null)
        {
            var labels = new int[rows.Length];
            for (int i = 0; i < rows.Length; i++)
            {
                labels[i] = Labels[rows[i]];
            }

            return new DataColumn(Name, ArgumentName, Width, null, labels, rows.Length, sampleWeights);
        }

        var values = new float[rows.Length * Width];
        for (int i = 0; i < rows.Length; i++)
        {
            Values.AsSpan(rows[i] * Width, Width).CopyTo(values.AsSpan(i * Width));
        }

        return new DataColumn(Name, ArgumentName, Width, values, null, rows.Length, sampleWeights);
    }

    private static void RejectWeightsWithoutTargets(string head, string argumentName, float[]? sampleWeights, string sampleWeightsArgumentName)
    {
        if (sampleWeights is not null)
        {
            throw new ArgumentException(
                $"'{sampleWeightsArgumentName}' is set but '{argumentName}' is null: sample weights of head '{head}' need its targets. " +
                $"Pass '{argumentName}', or leave '{sampleWeightsArgumentName}' null.", sampleWeightsArgumentName);
        }
    }

    private static void CheckSampleWeights(string head, int rows, string argumentName, float[] sampleWeights, string sampleWeightsArgumentName)
    {
        if (sampleWeights.Length != rows)
        {
            throw new ArgumentException(
                $"'{sampleWeightsArgumentName}' has {sampleWeights.Length} weights but '{argumentName}' has {rows} rows; pass one weight per sample of head '{head}'.",
                sampleWeightsArgumentName);
        }

        for (int i = 0; i < sampleWeights.Length; i++)
        {
            float weight = sampleWeights[i];
            if (!(weight >= 0f && float.IsFinite(weight)))
            {
                throw new ArgumentException(
                    $"'{sampleWeightsArgumentName}' contains {weight.ToString(CultureInfo.InvariantCulture)} at row {i}; sample weights of head '{head}' " +
                    "must be finite and >= 0 (0 marks a sample without a label for this head).", sampleWeightsArgumentName);
            }
        }
    }
}
