using System;

namespace ModelGen.Kernels;

/// <summary>Forward and backward steps of the parameter-free concatenate and add layers.</summary>
public static class MergeKernel
{
    /// <summary>Copies each row of <paramref name="source"/> into columns [offset, offset + width) of <paramref name="destination"/>.</summary>
    /// <param name="source">[batch, width] values.</param>
    /// <param name="destination">[batch, totalWidth] values.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="width">Values per sample of <paramref name="source"/>.</param>
    /// <param name="totalWidth">Values per sample of <paramref name="destination"/>.</param>
    /// <param name="offset">First destination column.</param>
    public static void CopyColumns(ReadOnlySpan<float> source, Span<float> destination, int batch, int width, int totalWidth, int offset)
    {
        for (int b = 0; b < batch; b++)
        {
            source.Slice(b * width, width).CopyTo(destination.Slice((b * totalWidth) + offset, width));
        }
    }

    /// <summary>Adds columns [offset, offset + width) of each row of <paramref name="source"/> into <paramref name="destination"/>.</summary>
    /// <param name="source">[batch, totalWidth] values.</param>
    /// <param name="destination">[batch, width] values, added to.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="width">Values per sample of <paramref name="destination"/>.</param>
    /// <param name="totalWidth">Values per sample of <paramref name="source"/>.</param>
    /// <param name="offset">First source column.</param>
    public static void AddColumns(ReadOnlySpan<float> source, Span<float> destination, int batch, int width, int totalWidth, int offset)
    {
        for (int b = 0; b < batch; b++)
        {
            Add(source.Slice((b * totalWidth) + offset, width), destination.Slice(b * width, width));
        }
    }

    /// <summary>Adds <paramref name="source"/> into <paramref name="destination"/> element-wise.</summary>
    /// <param name="source">Values to add.</param>
    /// <param name="destination">Values added to, at least as long as <paramref name="source"/>.</param>
    public static void Add(ReadOnlySpan<float> source, Span<float> destination) => VectorMath.MultiplyAdd(1f, source, destination);
}
