using System;
using System.Runtime.CompilerServices;

namespace ModelGen.Kernels;

/// <summary>
/// Forward and backward passes of a dense layer over a batch stored row-major ([batch, features]). Each call
/// picks the dot-product kernel (<see cref="GemmDot"/>, for few units or one or two samples) or the blocked
/// GEMM (<see cref="Gemm"/>), splits large products among threads (<see cref="KernelParallelism"/>), and runs
/// on the widest vector width the machine accelerates, with narrower widths and a scalar path for the columns
/// that no full vector covers.
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
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> y, int batch, int inputs, int units) =>
        Forward(x, weights, bias, y, batch, inputs, units, Activation.Linear, Gemm.Widest);

    /// <summary>
    /// Computes <c>y[b, o] = activation(Σ_i w[o, i]·x[b, i] + bias[o])</c>. Bias and ReLU are applied to each
    /// tile while it is still in registers; other activations run over <paramref name="y"/> afterwards.
    /// </summary>
    /// <param name="x">Layer input, [batch, inputs].</param>
    /// <param name="weights">Weights, [units, inputs].</param>
    /// <param name="bias">Bias, [units].</param>
    /// <param name="y">Output, [batch, units]; overwritten.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="inputs">Input features per sample.</param>
    /// <param name="units">Output units.</param>
    /// <param name="activation">Activation applied to the sums.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> y, int batch, int inputs, int units, Activation activation) =>
        Forward(x, weights, bias, y, batch, inputs, units, activation, Gemm.Widest);

    /// <summary>
    /// Computes the parameter gradients from <paramref name="dz"/> (the gradient with respect to the
    /// pre-activation output) and adds the gradient with respect to the input into <paramref name="dx"/>.
    /// </summary>
    /// <param name="x">Layer input of the forward pass, [batch, inputs].</param>
    /// <param name="weights">Weights, [units, inputs].</param>
    /// <param name="dz">Gradient with respect to the pre-activation output, [batch, units].</param>
    /// <param name="weightGradient">Gradient of the weights, [units, inputs]; overwritten.</param>
    /// <param name="biasGradient">Gradient of the bias, [units]; overwritten.</param>
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
        int units) =>
        Backward(x, weights, dz, weightGradient, biasGradient, dx, batch, inputs, units, Gemm.Widest);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void Forward(
        ReadOnlySpan<float> x,
        ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias,
        Span<float> y,
        int batch,
        int inputs,
        int units,
        Activation activation,
        VectorWidth widest)
    {
        CheckLengths(x, batch * inputs, weights, units * inputs, y, batch * units, "output");
        CheckBias(bias, units);
        fixed (float* px = x)
        fixed (float* pw = weights)
        fixed (float* pb = bias)
        fixed (float* py = y)
        {
            var problem = new GemmProblem
            {
                A = px,
                ARowStride = inputs,
                AColumnStride = 1,
                B = pw,
                BStride = inputs,
                BTransposed = true,
                C = py,
                CStride = units,
                M = batch,
                N = units,
                K = inputs,
                Bias = pb,
                Relu = activation == Activation.Relu,
            };
            GemmParallel.Multiply(problem, GemmDot.Prefers(batch, units, widest) ? GemmKind.Dot : GemmKind.Blocked, widest);
        }

        if (activation is not (Activation.Linear or Activation.Relu))
        {
            ActivationKernel.Forward(activation, y, y, batch, units);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void Backward(
        ReadOnlySpan<float> x,
        ReadOnlySpan<float> weights,
        ReadOnlySpan<float> dz,
        Span<float> weightGradient,
        Span<float> biasGradient,
        Span<float> dx,
        int batch,
        int inputs,
        int units,
        VectorWidth widest)
    {
        CheckLengths(x, batch * inputs, weights, units * inputs, dz, batch * units, "output gradient");

        // Empty parameter gradients mean the layer is not updated (frozen): only the input gradient is needed.
        bool parameters = !weightGradient.IsEmpty;
        if ((parameters && (weightGradient.Length < units * inputs || biasGradient.Length < units)) || (!dx.IsEmpty && dx.Length < batch * inputs))
        {
            throw new ArgumentException(
                $"Dense gradient buffers are too short: weights {weightGradient.Length} of {units * inputs}, bias {biasGradient.Length} of {units}, input {dx.Length} of {batch * inputs}.");
        }

        fixed (float* px = x)
        fixed (float* pw = weights)
        fixed (float* pdz = dz)
        fixed (float* pdw = weightGradient)
        fixed (float* pdx = dx)
        {
            if (units <= NarrowBackward.MaxUnits && !KernelParallelism.MayUseThreads((long)batch * inputs * units))
            {
                NarrowBackward.Run(px, pw, pdz, parameters ? pdw : null, pdx, batch, inputs, units, widest);
            }
            else
            {
                BlockedBackward(px, pw, pdz, parameters ? pdw : null, pdx, batch, inputs, units, widest);
            }
        }

        if (parameters)
        {
            VectorMath.SumRows(dz, biasGradient[..units], batch, units, widest);
        }
    }

    /// <summary>The weight and input gradients as two blocked products, each split among threads when large.</summary>
    internal static unsafe void BlockedBackward(float* px, float* pw, float* pdz, float* pdw, float* pdx, int batch, int inputs, int units, VectorWidth widest)
    {
        if (pdw != null)
        {
            // dW[o, i] = Σ_b dz[b, o]·x[b, i]: A is dz read as its transpose.
            var weightProblem = new GemmProblem
            {
                A = pdz,
                ARowStride = 1,
                AColumnStride = units,
                B = px,
                BStride = inputs,
                C = pdw,
                CStride = inputs,
                M = units,
                N = inputs,
                K = batch,
            };
            GemmParallel.Multiply(weightProblem, GemmKind.Blocked, widest);
        }

        if (pdx != null)
        {
            // dx[b, i] += Σ_o dz[b, o]·W[o, i].
            var inputProblem = new GemmProblem
            {
                A = pdz,
                ARowStride = units,
                AColumnStride = 1,
                B = pw,
                BStride = inputs,
                C = pdx,
                CStride = inputs,
                M = batch,
                N = inputs,
                K = units,
                Accumulate = true,
            };
            GemmParallel.Multiply(inputProblem, GemmKind.Blocked, widest);
        }
    }

    private static void CheckBias(ReadOnlySpan<float> bias, int units)
    {
        if (bias.Length < units)
        {
            throw new ArgumentException($"Dense bias has {bias.Length} values; {units} are needed.", nameof(bias));
        }
    }

    private static void CheckLengths(ReadOnlySpan<float> x, int xLength, ReadOnlySpan<float> weights, int weightLength, ReadOnlySpan<float> third, int thirdLength, string thirdName)
    {
        if (x.Length < xLength || weights.Length < weightLength || third.Length < thirdLength)
        {
            throw new ArgumentException(
                $"Dense kernel buffers are too short: input {x.Length} of {xLength}, weights {weights.Length} of {weightLength}, {thirdName} {third.Length} of {thirdLength}.");
        }
    }
}
