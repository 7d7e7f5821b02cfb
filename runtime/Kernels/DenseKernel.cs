using System;
using System.Runtime.CompilerServices;

namespace ModelGen.Kernels;

/// <summary>
/// Forward and backward passes of a dense layer over a batch stored row-major ([batch, features]). The
/// generated code passes its sizes as constants, so after inlining the loops run over compile-time bounds.
/// </summary>
public static class DenseKernel
{
    /// <summary>Computes <c>y[b, o] = Σ_i w[o, i]·x[b, i] + bias[o]</c> (before any activation).</summary>
    /// <param name="x">Layer input, [batch, inputs].</param>
    /// <param name="weights">Weights, [units, inputs].</param>
    /// <param name="bias">Bias, [units].</param>
    /// <param name="y">Output, [batch, units]; overwritten.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="inputs">Input features per sample.</param>
    /// <param name="units">Output units.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> y, int batch, int inputs, int units)
    {
        CheckLengths(x, batch * inputs, weights, units * inputs, y, batch * units);
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> row = x.Slice(b * inputs, inputs);
            Span<float> output = y.Slice(b * units, units);
            for (int o = 0; o < units; o++)
            {
                output[o] = VectorMath.Dot(row, weights.Slice(o * inputs, inputs)) + bias[o];
            }
        }
    }

    /// <summary>
    /// Computes the parameter gradients from <paramref name="dz"/> (the gradient with respect to the
    /// pre-activation output) and adds the gradient with respect to the input into <paramref name="dx"/>.
    /// </summary>
    /// <param name="x">Layer input of the forward pass, [batch, inputs].</param>
    /// <param name="weights">Weights, [units, inputs].</param>
    /// <param name="dz">Gradient with respect to the pre-activation output, [batch, units].</param>
    /// <param name="weightGradient">Gradient of the weights, [units, inputs]; overwritten. Empty when the layer is
    /// not updated (frozen), which skips the parameter gradients.</param>
    /// <param name="biasGradient">Gradient of the bias, [units]; overwritten; empty exactly when
    /// <paramref name="weightGradient"/> is.</param>
    /// <param name="dx">Gradient with respect to the input, [batch, inputs], added to; empty when the input
    /// needs no gradient.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="inputs">Input features per sample.</param>
    /// <param name="units">Output units.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Backward(
        ReadOnlySpan<float> x,
        ReadOnlySpan<float> weights,
        ReadOnlySpan<float> dz,
        Span<float> weightGradient,
        Span<float> biasGradient,
        Span<float> dx,
        int batch,
        int inputs,
        int units)
    {
        CheckLengths(x, batch * inputs, weights, units * inputs, dz, batch * units);
        if (!weightGradient.IsEmpty)
        {
            ParameterGradients(x, dz, weightGradient[..(units * inputs)], biasGradient[..units], batch, inputs, units);
        }

        if (dx.IsEmpty)
        {
            return;
        }

        dx = dx[..(batch * inputs)];
        for (int b = 0; b < batch; b++)
        {
            Span<float> inputGradient = dx.Slice(b * inputs, inputs);
            ReadOnlySpan<float> gradientRow = dz.Slice(b * units, units);
            for (int o = 0; o < units; o++)
            {
                VectorMath.MultiplyAdd(gradientRow[o], weights.Slice(o * inputs, inputs), inputGradient);
            }
        }
    }

    private static void ParameterGradients(ReadOnlySpan<float> x, ReadOnlySpan<float> dz, Span<float> weightGradient, Span<float> biasGradient, int batch, int inputs, int units)
    {
        weightGradient.Clear();
        biasGradient.Clear();
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> row = x.Slice(b * inputs, inputs);
            ReadOnlySpan<float> gradientRow = dz.Slice(b * units, units);
            for (int o = 0; o < units; o++)
            {
                float g = gradientRow[o];
                biasGradient[o] += g;
                VectorMath.MultiplyAdd(g, row, weightGradient.Slice(o * inputs, inputs));
            }
        }
    }

    private static void CheckLengths(ReadOnlySpan<float> x, int xLength, ReadOnlySpan<float> weights, int weightLength, ReadOnlySpan<float> third, int thirdLength)
    {
        if (x.Length < xLength || weights.Length < weightLength || third.Length < thirdLength)
        {
            throw new ArgumentException(
                $"Dense kernel buffers are too short: input {x.Length} of {xLength}, weights {weights.Length} of {weightLength}, output {third.Length} of {thirdLength}.");
        }
    }
}
