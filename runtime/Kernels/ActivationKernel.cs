using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ModelGen.Kernels;

/// <summary>Activations and their backward passes over a batch stored row-major ([batch, units]).</summary>
public static class ActivationKernel
{
    private const double InverseSqrt2 = 0.70710678118654752440;
    private const double InverseSqrt2Pi = 0.39894228040143267794;

    /// <summary>Returns whether the backward pass of <paramref name="activation"/> needs the pre-activation values.</summary>
    /// <param name="activation">An activation.</param>
    public static bool NeedsPreActivation(Activation activation) => activation == Activation.Gelu;

    /// <summary>Applies <paramref name="activation"/> to <paramref name="z"/>, writing <paramref name="y"/>
    /// (which may be the same memory).</summary>
    /// <param name="activation">Activation to apply.</param>
    /// <param name="z">Pre-activation values, [batch, units].</param>
    /// <param name="y">Output, [batch, units].</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="units">Units per sample.</param>
    /// <param name="negativeSlope">Slope of <see cref="Activation.LeakyRelu"/> for negative inputs.</param>
    public static void Forward(Activation activation, ReadOnlySpan<float> z, Span<float> y, int batch, int units, float negativeSlope = 0.01f)
    {
        int n = batch * units;
        z = z[..n];
        y = y[..n];
        switch (activation)
        {
            case Activation.Linear:
                z.CopyTo(y);
                break;
            case Activation.Relu:
                Relu(z, y, Gemm.Widest);
                break;
            case Activation.Softmax:
                for (int b = 0; b < batch; b++)
                {
                    Softmax(z.Slice(b * units, units), y.Slice(b * units, units));
                }

                break;
            default:
                for (int i = 0; i < n; i++)
                {
                    y[i] = Apply(activation, z[i], negativeSlope);
                }

                break;
        }
    }

    /// <summary>
    /// Computes the gradient with respect to the pre-activation values from the gradient <paramref name="dy"/>
    /// with respect to the outputs <paramref name="y"/>. <paramref name="dz"/> may be the memory of
    /// <paramref name="dy"/>.
    /// </summary>
    /// <param name="activation">Activation of the forward pass.</param>
    /// <param name="z">Pre-activation values of the forward pass; needed only where <see cref="NeedsPreActivation"/> is true, else may be empty.</param>
    /// <param name="y">Outputs of the forward pass, [batch, units].</param>
    /// <param name="dy">Gradient with respect to <paramref name="y"/>.</param>
    /// <param name="dz">Gradient with respect to the pre-activation values.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="units">Units per sample.</param>
    /// <param name="accumulate">Whether to add to <paramref name="dz"/> instead of overwriting it.</param>
    /// <param name="negativeSlope">Slope of <see cref="Activation.LeakyRelu"/> for negative inputs.</param>
    public static void Backward(
        Activation activation,
        ReadOnlySpan<float> z,
        ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy,
        Span<float> dz,
        int batch,
        int units,
        bool accumulate,
        float negativeSlope = 0.01f)
    {
        int n = batch * units;
        y = y[..n];
        dy = dy[..n];
        dz = dz[..n];
        if (NeedsPreActivation(activation) && z.Length < n)
        {
            throw new ArgumentException($"{activation} needs the pre-activation values for its backward pass.", nameof(z));
        }

        if (activation is Activation.Relu or Activation.Linear)
        {
            ReluOrLinearBackward(activation == Activation.Relu, y, dy, dz, accumulate, Gemm.Widest);
            return;
        }

        for (int b = 0; b < batch; b++)
        {
            int start = b * units;
            float dot = activation == Activation.Softmax ? VectorMath.Dot(dy.Slice(start, units), y.Slice(start, units)) : 0f;
            for (int i = start; i < start + units; i++)
            {
                float g = activation switch
                {
                    Activation.Linear => dy[i],
                    Activation.Relu => y[i] > 0f ? dy[i] : 0f,
                    Activation.LeakyRelu => y[i] > 0f ? dy[i] : dy[i] * negativeSlope,
                    Activation.Sigmoid => dy[i] * y[i] * (1f - y[i]),
                    Activation.Tanh => dy[i] * (1f - (y[i] * y[i])),
                    Activation.Softplus => dy[i] * (1f - MathF.Exp(-y[i])),
                    Activation.Gelu => dy[i] * GeluDerivative(z[i]),
                    Activation.Softmax => y[i] * (dy[i] - dot),
                    _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
                };
                dz[i] = accumulate ? dz[i] + g : g;
            }
        }
    }

    /// <summary>Computes the gradient with respect to the pre-activation values for activations that need only the outputs.</summary>
    /// <param name="activation">Activation of the forward pass; not <see cref="Activation.Gelu"/>.</param>
    /// <param name="y">Outputs of the forward pass, [batch, units].</param>
    /// <param name="dy">Gradient with respect to <paramref name="y"/>.</param>
    /// <param name="dz">Gradient with respect to the pre-activation values.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="units">Units per sample.</param>
    /// <param name="accumulate">Whether to add to <paramref name="dz"/> instead of overwriting it.</param>
    public static void Backward(Activation activation, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz, int batch, int units, bool accumulate) =>
        Backward(activation, default, y, dy, dz, batch, units, accumulate);

    internal static float Apply(Activation activation, float z, float negativeSlope) => activation switch
    {
        Activation.Linear => z,
        Activation.Relu => MathF.Max(z, 0f),
        Activation.LeakyRelu => z > 0f ? z : z * negativeSlope,
        Activation.Sigmoid => Sigmoid(z),
        Activation.Tanh => MathF.Tanh(z),
        Activation.Softplus => z > 20f ? z : MathF.Log(1f + MathF.Exp(z)),
        Activation.Gelu => (float)(0.5 * z * (1 + Erf(z * InverseSqrt2))),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown element-wise activation."),
    };

    internal static float Sigmoid(float z) => z >= 0f ? 1f / (1f + MathF.Exp(-z)) : MathF.Exp(z) / (1f + MathF.Exp(z));

    internal static void Softmax(ReadOnlySpan<float> z, Span<float> y)
    {
        float max = float.NegativeInfinity;
        foreach (float value in z)
        {
            max = MathF.Max(max, value);
        }

        float sum = 0f;
        for (int i = 0; i < z.Length; i++)
        {
            float e = MathF.Exp(z[i] - max);
            y[i] = e;
            sum += e;
        }

        float inverse = 1f / sum;
        for (int i = 0; i < z.Length; i++)
        {
            y[i] *= inverse;
        }
    }

    // d/dz [z·Φ(z)] = Φ(z) + z·φ(z).
    private static float GeluDerivative(float z)
    {
        double cdf = 0.5 * (1 + Erf(z * InverseSqrt2));
        double pdf = InverseSqrt2Pi * Math.Exp(-0.5 * z * z);
        return (float)(cdf + (z * pdf));
    }

    /// <summary>
    /// Returns the error function, from the rational approximation 7.1.26 of Abramowitz and Stegun (absolute
    /// error below 1.5e-7, under float precision), since .NET has no Math.Erf.
    /// </summary>
    internal static double Erf(double x)
    {
        double sign = x < 0 ? -1 : 1;
        x = Math.Abs(x);
        double t = 1 / (1 + (0.3275911 * x));
        double polynomial = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
        return sign * (1 - (polynomial * Math.Exp(-x * x)));
    }

    internal static void Relu(ReadOnlySpan<float> z, Span<float> y, VectorWidth widest)
    {
        int n = z.Length;
        if (y.Length < n)
        {
            throw new ArgumentException($"The output has {y.Length} values; {n} are needed.", nameof(y));
        }

        ref float source = ref MemoryMarshal.GetReference(z);
        ref float destination = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (widest >= VectorWidth.Vector512)
        {
            i = Relu<Vector512Ops, Vector512<float>>(ref source, ref destination, i, n);
        }

        if (widest >= VectorWidth.Vector256)
        {
            i = Relu<Vector256Ops, Vector256<float>>(ref source, ref destination, i, n);
        }

        if (widest >= VectorWidth.Vector128)
        {
            i = Relu<Vector128Ops, Vector128<float>>(ref source, ref destination, i, n);
        }

        Relu<ScalarOps, float>(ref source, ref destination, i, n);
    }

    /// <summary>Writes (or adds) <c>dz = dy</c>, or for ReLU <c>dz = y > 0 ? dy : 0</c>.</summary>
    internal static void ReluOrLinearBackward(bool relu, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz, bool accumulate, VectorWidth widest)
    {
        int n = dz.Length;
        if (y.Length < n || dy.Length < n)
        {
            throw new ArgumentException($"Activation gradient buffers are shorter than {n}: outputs {y.Length}, output gradient {dy.Length}.");
        }

        var buffers = new BackwardBuffers(ref MemoryMarshal.GetReference(y), ref MemoryMarshal.GetReference(dy), ref MemoryMarshal.GetReference(dz), relu, accumulate);
        int i = 0;
        if (widest >= VectorWidth.Vector512)
        {
            i = Backward<Vector512Ops, Vector512<float>>(buffers, i, n);
        }

        if (widest >= VectorWidth.Vector256)
        {
            i = Backward<Vector256Ops, Vector256<float>>(buffers, i, n);
        }

        if (widest >= VectorWidth.Vector128)
        {
            i = Backward<Vector128Ops, Vector128<float>>(buffers, i, n);
        }

        Backward<ScalarOps, float>(buffers, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Relu<TOps, TVector>(ref float z, ref float y, int first, int n)
        where TOps : IVectorOps<TVector>
        where TVector : struct
    {
        int width = TOps.Count;
        int i = first;
        for (; i <= n - width; i += width)
        {
            TOps.Store(TOps.Relu(TOps.Load(ref z, i)), ref y, i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Backward<TOps, TVector>(in BackwardBuffers buffers, int first, int n)
        where TOps : IVectorOps<TVector>
        where TVector : struct
    {
        int width = TOps.Count;
        int i = first;
        for (; i <= n - width; i += width)
        {
            TVector g = TOps.Load(ref buffers.Dy, i);
            if (buffers.Relu)
            {
                g = TOps.WherePositive(TOps.Load(ref buffers.Y, i), g);
            }

            if (buffers.Accumulate)
            {
                g = TOps.Add(TOps.Load(ref buffers.Dz, i), g);
            }

            TOps.Store(g, ref buffers.Dz, i);
        }

        return i;
    }

    private readonly ref struct BackwardBuffers
    {
        public readonly ref float Y;
        public readonly ref float Dy;
        public readonly ref float Dz;
        public readonly bool Relu;
        public readonly bool Accumulate;

        public BackwardBuffers(ref float y, ref float dy, ref float dz, bool relu, bool accumulate)
        {
            Y = ref y;
            Dy = ref dy;
            Dz = ref dz;
            Relu = relu;
            Accumulate = accumulate;
        }
    }
}
