using System;

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
}
