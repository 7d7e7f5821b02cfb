using System;

namespace ModelGen.Bench.References;

/// <summary>
/// The plain scalar peer: the loops a C# programmer writes first, one multiply-add at a time, with no vectors,
/// no blocking and no unsafe code.
/// </summary>
public sealed class ScalarNetwork : ReferenceNetwork
{
    /// <inheritdoc cref="ReferenceNetwork(int, int[], ValueTuple{int, ReferenceLoss}[], int, int)"/>
    public ScalarNetwork(int inputs, int[] trunk, (int Units, ReferenceLoss Loss)[] heads, int batch, int seed)
        : base(inputs, trunk, heads, batch, seed)
    {
    }

    protected override void DenseForward(float[] x, float[] weights, float[] bias, float[] y, int batch, int inputs, int units)
    {
        for (int b = 0; b < batch; b++)
        {
            for (int o = 0; o < units; o++)
            {
                float sum = bias[o];
                for (int i = 0; i < inputs; i++)
                {
                    sum += weights[(o * inputs) + i] * x[(b * inputs) + i];
                }

                y[(b * units) + o] = sum;
            }
        }
    }

    protected override void DenseBackward(float[] x, float[] weights, float[] dz, float[] weightGradient, float[] biasGradient, float[]? dx, int batch, int inputs, int units)
    {
        Array.Clear(weightGradient);
        Array.Clear(biasGradient);
        for (int b = 0; b < batch; b++)
        {
            for (int o = 0; o < units; o++)
            {
                float g = dz[(b * units) + o];
                biasGradient[o] += g;
                for (int i = 0; i < inputs; i++)
                {
                    weightGradient[(o * inputs) + i] += g * x[(b * inputs) + i];
                }

                if (dx is not null)
                {
                    for (int i = 0; i < inputs; i++)
                    {
                        dx[(b * inputs) + i] += g * weights[(o * inputs) + i];
                    }
                }
            }
        }
    }

    protected override void Relu(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Max(values[i], 0f);
        }
    }

    protected override void ReluBackward(float[] y, float[] gradient)
    {
        for (int i = 0; i < y.Length; i++)
        {
            if (y[i] <= 0f)
            {
                gradient[i] = 0f;
            }
        }
    }

    protected override void Adam(float[] values, float[] gradient, float[] m, float[] v, int stepCount)
    {
        const float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f, learningRate = 0.001f;
        float correction1 = 1f - MathF.Pow(beta1, stepCount);
        float correction2 = MathF.Sqrt(1f - MathF.Pow(beta2, stepCount));
        for (int i = 0; i < values.Length; i++)
        {
            m[i] = (beta1 * m[i]) + ((1f - beta1) * gradient[i]);
            v[i] = (beta2 * v[i]) + ((1f - beta2) * gradient[i] * gradient[i]);
            values[i] -= learningRate / correction1 * m[i] / ((MathF.Sqrt(v[i]) / correction2) + epsilon);
        }
    }
}
