using System;

namespace ModelGen.Kernels;

/// <summary>Forward and backward steps of a dropout layer, given the call's mask of 0 and <c>1 / (1 - rate)</c> factors.</summary>
public static class DropoutKernel
{
    /// <summary>Writes <c>y = x · mask</c> element-wise.</summary>
    /// <param name="x">Layer input.</param>
    /// <param name="mask">Factors of this call.</param>
    /// <param name="y">Output, same length.</param>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> mask, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] * mask[i];
        }
    }

    /// <summary>Adds <c>dy · mask</c> into <paramref name="dx"/> element-wise.</summary>
    /// <param name="dy">Gradient with respect to the output.</param>
    /// <param name="mask">Factors of the forward pass.</param>
    /// <param name="dx">Gradient with respect to the input, added to.</param>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> mask, Span<float> dx)
    {
        for (int i = 0; i < dy.Length; i++)
        {
            dx[i] += dy[i] * mask[i];
        }
    }
}
