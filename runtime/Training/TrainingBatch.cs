using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace ModelGen.Training;

/// <summary>
/// Reusable buffers of one batch: the rows of each input, target and sample weight gathered from a
/// <see cref="Dataset"/>, and room for each head's outputs. Allocated once per <c>Fit</c> or <c>Evaluate</c> call.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TrainingBatch
{
    private readonly int[] _inputWidths;
    private readonly int[] _headWidths;
    private readonly float[][] _inputs;
    private readonly float[][] _targets;
    private readonly int[][] _labels;
    private readonly float[][] _sampleWeights;
    private readonly float[] _ones;
    private readonly float[] _zeros;
    private readonly int[] _zeroLabels;
    private readonly int _weightedHeads;
    private readonly float[][] _outputs;

    internal TrainingBatch(Dataset layout, IReadOnlyList<Layer> heads, int capacity)
    {
        Capacity = capacity;
        _inputWidths = new int[layout.Inputs.Count];
        _inputs = new float[layout.Inputs.Count][];
        for (int i = 0; i < _inputs.Length; i++)
        {
            _inputWidths[i] = layout.Inputs[i].Width;
            _inputs[i] = new float[capacity * _inputWidths[i]];
        }

        _headWidths = new int[heads.Count];
        _targets = new float[heads.Count][];
        _labels = new int[heads.Count][];
        _sampleWeights = new float[heads.Count][];
        _outputs = new float[heads.Count][];
        for (int h = 0; h < heads.Count; h++)
        {
            _headWidths[h] = heads[h].Size;
            DataColumn? column = layout.Targets[h];
            _targets[h] = column?.Values is null ? [] : new float[capacity * column.Width];
            _labels[h] = column?.Labels is null ? [] : new int[capacity];
            _sampleWeights[h] = column?.SampleWeights is null ? [] : new float[capacity];
            _weightedHeads |= column?.SampleWeights is null ? 0 : 1 << h;
            _outputs[h] = new float[capacity * heads[h].Size];
        }

        // Weighted training methods take one weight per sample for every head they train, so heads without weights
        // get ones. A head left out of a step of a method that also trains it gets zero weights, and zero targets when
        // the data has none.
        _ones = new float[capacity];
        Array.Fill(_ones, 1f);
        int widest = 1;
        foreach (int width in _headWidths)
        {
            widest = Math.Max(widest, width);
        }

        _zeros = new float[capacity * widest];
        _zeroLabels = new int[capacity];
    }

    /// <summary>Largest number of rows the buffers hold.</summary>
    public int Capacity { get; }

    /// <summary>Rows in the current batch.</summary>
    public int Size { get; private set; }

    /// <summary>Returns the values of input <paramref name="input"/> (declaration order): Size × input size.</summary>
    /// <param name="input">Index of the input.</param>
    public ReadOnlySpan<float> Input(int input) => _inputs[input].AsSpan(0, Size * _inputWidths[input]);

    /// <summary>Returns the float targets of head <paramref name="head"/>: Size × units, or empty when the data has none.</summary>
    /// <param name="head">Index of the head.</param>
    public ReadOnlySpan<float> Target(int head) => _targets[head].Length == 0 ? default : _targets[head].AsSpan(0, Size * _headWidths[head]);

    /// <summary>Returns the class labels of head <paramref name="head"/>: one per row, or empty when the data has none.</summary>
    /// <param name="head">Index of the head.</param>
    public ReadOnlySpan<int> Labels(int head) => _labels[head].Length == 0 ? default : _labels[head].AsSpan(0, Size);

    /// <summary>Returns whether the dataset has sample weights for any head in the mask <paramref name="heads"/> (bit i is the i-th head).</summary>
    /// <param name="heads">Mask of heads.</param>
    public bool HasSampleWeights(int heads) => (_weightedHeads & heads) != 0;

    /// <summary>
    /// Returns the sample weights of head <paramref name="head"/>: one per row, or empty when the dataset has none,
    /// which the loss kernels read as weight 1 for every row.
    /// </summary>
    /// <param name="head">Index of the head.</param>
    public ReadOnlySpan<float> SampleWeights(int head) => _sampleWeights[head].Length == 0 ? default : _sampleWeights[head].AsSpan(0, Size);

    /// <summary>
    /// Returns the sample weights of head <paramref name="head"/>, one per row, or weight 1 for every row when the
    /// dataset has none. The weighted training methods need a weight per sample for each head they train.
    /// </summary>
    /// <param name="head">Index of the head.</param>
    public ReadOnlySpan<float> SampleWeightsOrOnes(int head)
    {
        if (_sampleWeights[head].Length != 0)
        {
            return _sampleWeights[head].AsSpan(0, Size);
        }

        return _ones.AsSpan(0, Size);
    }

    /// <summary>
    /// Returns a weight of 0 for every row: the weights that leave a head out of a step of a training method that
    /// also trains other heads. The head then contributes nothing, and the layers only it reaches do not change.
    /// </summary>
    public ReadOnlySpan<float> ZeroWeights() => _zeros.AsSpan(0, Size);

    /// <summary>Returns the float targets of head <paramref name="head"/>, or zeros when the data has none (for a head given weight 0).</summary>
    /// <param name="head">Index of the head.</param>
    public ReadOnlySpan<float> TargetOrZeros(int head) =>
        _targets[head].Length != 0 ? _targets[head].AsSpan(0, Size * _headWidths[head]) : _zeros.AsSpan(0, Size * _headWidths[head]);

    /// <summary>Returns the class labels of head <paramref name="head"/>, or class 0 for every row when the data has none (for a head given weight 0).</summary>
    /// <param name="head">Index of the head.</param>
    public ReadOnlySpan<int> LabelsOrZeros(int head) =>
        _labels[head].Length != 0 ? _labels[head].AsSpan(0, Size) : _zeroLabels.AsSpan(0, Size);

    /// <summary>Returns the buffer that receives the outputs of head <paramref name="head"/>: Size × units.</summary>
    /// <param name="head">Index of the head.</param>
    public Span<float> Output(int head) => _outputs[head].AsSpan(0, Size * _headWidths[head]);

    /// <summary>Copies <paramref name="rows"/> of <paramref name="data"/> into the buffers.</summary>
    internal void Load(Dataset data, ReadOnlySpan<int> rows)
    {
        Size = rows.Length;
        for (int i = 0; i < _inputs.Length; i++)
        {
            Gather(data.Inputs[i].Values!, _inputWidths[i], rows, _inputs[i]);
        }

        for (int h = 0; h < _targets.Length; h++)
        {
            DataColumn? column = data.Targets[h];
            if (column?.Values is { } values)
            {
                Gather(values, column.Width, rows, _targets[h]);
            }
            else if (column?.Labels is { } labels)
            {
                for (int r = 0; r < rows.Length; r++)
                {
                    _labels[h][r] = labels[rows[r]];
                }
            }

            if (column?.SampleWeights is { } sampleWeights)
            {
                Gather(sampleWeights, 1, rows, _sampleWeights[h]);
            }
        }
    }

    private static void Gather(float[] source, int width, ReadOnlySpan<int> rows, float[] destination)
    {
        for (int r = 0; r < rows.Length; r++)
        {
            source.AsSpan(rows[r] * width, width).CopyTo(destination.AsSpan(r * width, width));
        }
    }
}
