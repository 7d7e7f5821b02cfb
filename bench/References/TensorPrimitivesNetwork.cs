using System;
using System.Numerics.Tensors;

namespace ModelGen.Bench.References;

/// <summary>
/// The straightforward vectorised peer: the same loops as <see cref="ScalarNetwork"/> with each inner loop
/// replaced by one System.Numerics.Tensors <see cref="TensorPrimitives"/> call (a dot product per output, a
/// multiply-add per gradient row, Adam as a sequence of element-wise calls).
/// </summary>
public sealed class TensorPrimitivesNetwork : ReferenceNetwork
{
    private float[] _scratch = [];

    /// <inheritdoc cref="ReferenceNetwork(int, int[], ValueTuple{int, ReferenceLoss}[], int, int)"/>
    public TensorPrimitivesNetwork(int inputs, int[] trunk, (int Units, ReferenceLoss Loss)[] heads, int batch, int seed)
        : base(inputs, trunk, heads, batch, seed)
    {
    }

    protected override void DenseForward(float[] x, float[] weights, float[] bias, float[] y, int batch, int inputs, int units)
    {
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> row = x.AsSpan(b * inputs, inputs);
            for (int o = 0; o < units; o++)
            {
                y[(b * units) + o] = TensorPrimitives.Dot(row, weights.AsSpan(o * inputs, inputs)) + bias[o];
            }
        }
    }

    protected override void DenseBackward(float[] x, float[] weights, float[] dz, float[] weightGradient, float[] biasGradient, float[]? dx, int batch, int inputs, int units)
    {
        Array.Clear(weightGradient);
        Array.Clear(biasGradient);
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> row = x.AsSpan(b * inputs, inputs);
            ReadOnlySpan<float> gradientRow = dz.AsSpan(b * units, units);
            TensorPrimitives.Add(biasGradient, gradientRow, biasGradient);
            for (int o = 0; o < units; o++)
            {
                Span<float> weightRow = weightGradient.AsSpan(o * inputs, inputs);
                TensorPrimitives.MultiplyAdd(row, gradientRow[o], weightRow, weightRow);
            }

            if (dx is not null)
            {
                Span<float> inputGradient = dx.AsSpan(b * inputs, inputs);
                for (int o = 0; o < units; o++)
                {
                    TensorPrimitives.MultiplyAdd(weights.AsSpan(o * inputs, inputs), gradientRow[o], inputGradient, inputGradient);
                }
            }
        }
    }

    protected override void Relu(Span<float> values) => TensorPrimitives.Max(values, 0f, values);

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
        if (_scratch.Length < values.Length)
        {
            _scratch = new float[values.Length];
        }

        Span<float> scratch = _scratch.AsSpan(0, values.Length);
        TensorPrimitives.Multiply(m, beta1, m);
        TensorPrimitives.MultiplyAdd(gradient, 1f - beta1, m, m);
        TensorPrimitives.Multiply(gradient, gradient, scratch);
        TensorPrimitives.Multiply(v, beta2, v);
        TensorPrimitives.MultiplyAdd(scratch, 1f - beta2, v, v);
        TensorPrimitives.Sqrt(v, scratch);
        TensorPrimitives.Multiply(scratch, 1f / correction2, scratch);
        TensorPrimitives.Add(scratch, epsilon, scratch);
        TensorPrimitives.Divide(m, scratch, scratch);
        TensorPrimitives.MultiplyAdd(scratch, -learningRate / correction1, values, values);
    }
}
