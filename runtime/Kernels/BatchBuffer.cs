using System;

namespace ModelGen.Kernels;

/// <summary>
/// A reusable [samples, size] row-major buffer of a generated model (a layer's outputs or gradients). It grows
/// to the largest batch seen and is reused afterwards, so steps allocate nothing once it is large enough.
/// </summary>
public sealed class BatchBuffer
{
    private float[] _values = [];

    /// <summary>Creates an empty buffer of <paramref name="size"/> values per sample.</summary>
    /// <param name="size">Values per sample; must be positive.</param>
    public BatchBuffer(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Size = size;
    }

    /// <summary>Values per sample.</summary>
    public int Size { get; }

    /// <summary>Returns the first <paramref name="batch"/> rows, growing the buffer first when it is too small.</summary>
    /// <param name="batch">Samples needed.</param>
    public Span<float> Rows(int batch)
    {
        int length = checked(batch * Size);
        if (_values.Length < length)
        {
            _values = new float[length];
        }

        return _values.AsSpan(0, length);
    }
}
