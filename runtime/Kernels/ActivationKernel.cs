using System;

namespace ModelGen.Kernels;

/// <summary>Activations and their backward passes over a batch stored row-major ([batch, units]).</summary>
public static class ActivationKernel
{
    /// <summary>Applies <paramref name="activation"/> to <paramref name="z"/>, writing <paramref name="y"/>
    /// (which may be the same memory).</summary>
    /// <param name="activation">Activation to apply.</param>
    /// <param name="z">Pre-activation values, [batch, units].</param>
    /// <param name="y">Output, [batch, units].</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="units">Units per sample.</param>
    public static void Forward(Activation activation, ReadOnlySpan<float> z, Span<float> y, int batch, int units)
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
                for (int i = 0; i < n; i++)
                {
                    y[i] = MathF.Max(z[i], 0f);
                }

                break;
            case Activation.Sigmoid:
                for (int i = 0; i < n; i++)
                {
                    y[i] = Sigmoid(z[i]);
                }

                break;
            case Activation.Tanh:
                for (int i = 0; i < n; i++)
                {
                    y[i] = MathF.Tanh(z[i]);
                }

                break;
            case Activation.Softmax:
                for (int b = 0; b < batch; b++)
                {
                    Softmax(z.Slice(b * units, units), y.Slice(b * units, units));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>
    /// Computes the gradient with respect to the pre-activation values from the gradient <paramref name="dy"/>
    /// with respect to the outputs <paramref name="y"/>.
    /// </summary>
    /// <param name="activation">Activation of the forward pass.</param>
    /// <param name="y">Outputs of the forward pass, [batch, units].</param>
    /// <param name="dy">Gradient with respect to <paramref name="y"/>.</param>
    /// <param name="dz">Gradient with respect to the pre-activation values.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="units">Units per sample.</param>
    /// <param name="accumulate">Whether to add to <paramref name="dz"/> instead of overwriting it.</param>
    public static void Backward(Activation activation, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz, int batch, int units, bool accumulate)
    {
        int n = batch * units;
        y = y[..n];
        dy = dy[..n];
        dz = dz[..n];
        for (int b = 0; b < batch; b++)
        {
            int start = b * units;
            float dot = 0f;
            if (activation == Activation.Softmax)
            {
                dot = VectorMath.Dot(dy.Slice(start, units), y.Slice(start, units));
            }

            for (int i = start; i < start + units; i++)
            {
                float g = activation switch
                {
                    Activation.Linear => dy[i],
                    Activation.Relu => y[i] > 0f ? dy[i] : 0f,
                    Activation.Sigmoid => dy[i] * y[i] * (1f - y[i]),
                    Activation.Tanh => dy[i] * (1f - (y[i] * y[i])),
                    Activation.Softmax => y[i] * (dy[i] - dot),
                    _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
                };
                dz[i] = accumulate ? dz[i] + g : g;
            }
        }
    }

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
}
