using System;
using System.Collections.Generic;
using ModelGen.Kernels;
using ModelGen.Optimizers;
using Xunit;

namespace ModelGen.Tests;

/// <summary>
/// Every vector width of the kernels against a double-precision reference and against the scalar path, on
/// odd sizes so that every tail (narrower vectors, scalar columns, partial row tiles, k blocks) runs.
/// </summary>
public class KernelWidthTests
{
    private static readonly int[] Units = [1, 3, 7, 17, 33, 65, 129];
    private static readonly int[] Batches = [1, 2, 5, 33];
    private static readonly int[] Inputs = [1, 3, 17, 65, 300];

    /// <summary>Floats per vector of every width this machine runs: 1 (scalar), 4, 8, 16.</summary>
    public static TheoryData<int> Widths()
    {
        var data = new TheoryData<int>();
        foreach (VectorWidth width in new[] { VectorWidth.Scalar, VectorWidth.Vector128, VectorWidth.Vector256, VectorWidth.Vector512 })
        {
            if (Gemm.IsSupported(width))
            {
                data.Add((int)width);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void DenseForward_MatchesReference(int floatsPerVector)
    {
        var width = (VectorWidth)floatsPerVector;
        foreach ((int batch, int inputs, int units) in Shapes())
        {
            foreach (Activation activation in new[] { Activation.Linear, Activation.Relu })
            {
                float[] x = Values(batch * inputs, 1);
                float[] w = Values(units * inputs, 2);
                float[] b = Values(units, 3);
                float[] y = Values(batch * units, 4);
                float[] scalar = new float[batch * units];

                DenseKernel.Forward(x, w, b, y, batch, inputs, units, activation, width);
                DenseKernel.Forward(x, w, b, scalar, batch, inputs, units, activation, VectorWidth.Scalar);

                for (int s = 0; s < batch; s++)
                {
                    for (int o = 0; o < units; o++)
                    {
                        (double expected, double bound) = Dot(x, s * inputs, 1, w, o * inputs, 1, inputs, b[o]);
                        if (activation == Activation.Relu)
                        {
                            expected = Math.Max(expected, 0);
                        }

                        string where = $"{width} batch {batch} inputs {inputs} units {units} {activation} at [{s}, {o}]";
                        AssertClose(expected, y[(s * units) + o], bound, where);
                        AssertClose(scalar[(s * units) + o], y[(s * units) + o], 2 * bound, where + " vs scalar");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void DenseBackward_MatchesReference(int floatsPerVector)
    {
        var width = (VectorWidth)floatsPerVector;
        foreach ((int batch, int inputs, int units) in Shapes())
        {
            float[] x = Values(batch * inputs, 5);
            float[] w = Values(units * inputs, 6);
            float[] dz = Values(batch * units, 7);
            float[] dw = Values(units * inputs, 8);
            float[] db = Values(units, 9);
            float[] dxStart = Values(batch * inputs, 10);
            float[] dx = (float[])dxStart.Clone();

            DenseKernel.Backward(x, w, dz, dw, db, dx, batch, inputs, units, width);

            string shape = $"{width} batch {batch} inputs {inputs} units {units}";
            for (int o = 0; o < units; o++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    (double expected, double bound) = Dot(dz, o, units, x, i, inputs, batch, 0f);
                    AssertClose(expected, dw[(o * inputs) + i], bound, $"{shape} weight gradient [{o}, {i}]");
                }

                (double biasExpected, double biasBound) = Dot(dz, o, units, Ones(batch), 0, 1, batch, 0f);
                AssertClose(biasExpected, db[o], biasBound, $"{shape} bias gradient [{o}]");
            }

            for (int s = 0; s < batch; s++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    (double expected, double bound) = Dot(dz, s * units, 1, w, i, inputs, units, dxStart[(s * inputs) + i]);
                    AssertClose(expected, dx[(s * inputs) + i], bound, $"{shape} input gradient [{s}, {i}]");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void DenseBackward_WithoutInputGradient_WritesParameterGradients(int floatsPerVector)
    {
        var width = (VectorWidth)floatsPerVector;
        float[] x = Values(5 * 17, 11);
        float[] w = Values(7 * 17, 12);
        float[] dz = Values(5 * 7, 13);
        float[] dw = new float[7 * 17];
        float[] db = new float[7];
        float[] expectedDw = new float[7 * 17];
        float[] expectedDb = new float[7];
        float[] unusedDx = new float[5 * 17];

        DenseKernel.Backward(x, w, dz, dw, db, default, 5, 17, 7, width);
        DenseKernel.Backward(x, w, dz, expectedDw, expectedDb, unusedDx, 5, 17, 7, width);

        Assert.Equal(expectedDw, dw);
        Assert.Equal(expectedDb, db);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public unsafe void NarrowBackward_MatchesBlockedProducts(int floatsPerVector)
    {
        // Batches past 128 and 256 make both paths restart their weight-gradient chains at k-block boundaries.
        var width = (VectorWidth)floatsPerVector;
        foreach (int units in new[] { 1, 2, 3 })
        {
            foreach (int inputs in Inputs)
            {
                foreach (int batch in new[] { 1, 5, 33, 200, 300 })
                {
                    float[] x = Values(batch * inputs, 31);
                    float[] w = Values(units * inputs, 32);
                    float[] dz = Values(batch * units, 33);
                    float[] narrowDw = new float[units * inputs], blockedDw = new float[units * inputs];
                    float[] narrowDx = Values(batch * inputs, 34), blockedDx = Values(batch * inputs, 34);
                    fixed (float* px = x, pw = w, pdz = dz, pnw = narrowDw, pbw = blockedDw, pnx = narrowDx, pbx = blockedDx)
                    {
                        NarrowBackward.Run(px, pw, pdz, pnw, pnx, batch, inputs, units, width);
                        DenseKernel.BlockedBackward(px, pw, pdz, pbw, pbx, batch, inputs, units, width);
                    }

                    string shape = $"units {units}, inputs {inputs}, batch {batch}";
                    Assert.True(blockedDw.AsSpan().SequenceEqual(narrowDw), $"{shape}: weight gradients differ");
                    Assert.True(blockedDx.AsSpan().SequenceEqual(narrowDx), $"{shape}: input gradients differ");
                }
            }
        }
    }

    [Fact]
    public void SixteenRowTree_MatchesFourRowPath()
    {
        if (!Gemm.IsSupported(VectorWidth.Vector512))
        {
            return;
        }

        // A whole batch takes the sixteen-row tree where it can; four-row slices never do.
        foreach (int units in new[] { 1, 2, 3 })
        {
            foreach (int inputs in new[] { 16, 17, 32, 65, 300 })
            {
                const int Batch = 37;
                float[] x = Values(Batch * inputs, 41);
                float[] w = Values(units * inputs, 42);
                float[] bias = Values(units, 43);
                float[] whole = new float[Batch * units];
                float[] slices = new float[Batch * units];
                DenseKernel.Forward(x, w, bias, whole, Batch, inputs, units, Activation.Relu, VectorWidth.Vector512);
                for (int first = 0; first < Batch; first += 4)
                {
                    int rows = Math.Min(4, Batch - first);
                    DenseKernel.Forward(x.AsSpan(first * inputs, rows * inputs), w, bias, slices.AsSpan(first * units, rows * units), rows, inputs, units, Activation.Relu, VectorWidth.Vector512);
                }

                Assert.True(slices.AsSpan().SequenceEqual(whole), $"units {units}, inputs {inputs}: outputs differ");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void ReluBackward_MatchesScalar(int floatsPerVector)
    {
        var width = (VectorWidth)floatsPerVector;
        foreach (int n in Units)
        {
            foreach (bool accumulate in new[] { false, true })
            {
                float[] y = Values(n, 14);
                y[0] = 0f;
                float[] dy = Values(n, 15);
                float[] dz = Values(n, 16);
                float[] expected = new float[n];
                for (int i = 0; i < n; i++)
                {
                    float g = y[i] > 0f ? dy[i] : 0f;
                    expected[i] = accumulate ? dz[i] + g : g;
                }

                ActivationKernel.ReluOrLinearBackward(relu: true, y, dy, dz, accumulate, width);

                Assert.Equal(expected, dz);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Relu_MatchesScalar(int floatsPerVector)
    {
        var width = (VectorWidth)floatsPerVector;
        foreach (int n in Units)
        {
            float[] z = Values(n, 17);
            z[n - 1] = float.NaN;
            float[] y = new float[n];

            ActivationKernel.Relu(z, y, width);

            for (int i = 0; i < n; i++)
            {
                Assert.Equal(MathF.Max(z[i], 0f), y[i]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Adam_MatchesDefinitionAndScalarPath(int floatsPerVector)
    {
        var width = (VectorWidth)floatsPerVector;
        foreach (int n in Units)
        {
            float[] gradient = Values(n, 18);
            float inverseCorrection = 1f / MathF.Sqrt(1f - 0.999f);
            var step = new AdamStep(0.9f, 0.999f, 1e-8f, 0.01f, inverseCorrection);
            float[] values = Values(n, 19), m = Values(n, 20), v = Positive(n, 21);
            float[] startValues = (float[])values.Clone(), startM = (float[])m.Clone(), startV = (float[])v.Clone();
            float[] scalarValues = (float[])values.Clone(), scalarM = (float[])m.Clone(), scalarV = (float[])v.Clone();

            OptimizerKernels.Adam(values, gradient, m, v, step, width);
            OptimizerKernels.Adam(scalarValues, gradient, scalarM, scalarV, step, VectorWidth.Scalar);

            for (int i = 0; i < n; i++)
            {
                double mi = (0.9 * startM[i]) + (0.1 * gradient[i]);
                double vi = (0.999 * startV[i]) + (0.001 * gradient[i] * gradient[i]);
                double value = startValues[i] - (0.01 * mi / ((Math.Sqrt(vi) * inverseCorrection) + 1e-8));
                string where = $"{width} Adam element {i} of {n}";
                AssertClose(mi, m[i], 1e-6, where + " m");
                AssertClose(vi, v[i], 1e-6, where + " v");
                AssertClose(value, values[i], 1e-5, where + " value");
                AssertClose(scalarValues[i], values[i], 1e-6, where + " value vs scalar");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void SgdMomentum_MatchesDefinition(int floatsPerVector)
    {
        var width = (VectorWidth)floatsPerVector;
        foreach (int n in Units)
        {
            foreach (bool nesterov in new[] { false, true })
            {
                float[] gradient = Values(n, 22);
                float[] values = Values(n, 23);
                float[] velocity = Values(n, 24);
                float[] start = (float[])values.Clone();
                float[] startVelocity = (float[])velocity.Clone();

                OptimizerKernels.SgdMomentum(values, gradient, velocity, 0.1f, 0.9f, nesterov, first: false, width);

                for (int i = 0; i < n; i++)
                {
                    double buffer = (0.9 * startVelocity[i]) + gradient[i];
                    double direction = nesterov ? gradient[i] + (0.9 * buffer) : buffer;
                    AssertClose(buffer, velocity[i], 1e-6, $"{width} velocity[{i}] of {n}");
                    AssertClose(start[i] - (0.1 * direction), values[i], 1e-6, $"{width} value[{i}] of {n}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void IndexOfNonFinite_FindsFirst(int floatsPerVector)
    {
        var width = (VectorWidth)floatsPerVector;
        foreach (int n in Units)
        {
            float[] values = Values(n, 25);
            Assert.Equal(-1, VectorMath.IndexOfNonFinite(values, width));
            foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            {
                for (int at = 0; at < n; at += Math.Max(1, n / 5))
                {
                    float[] copy = (float[])values.Clone();
                    copy[at] = bad;
                    copy[n - 1] = bad;
                    Assert.Equal(at, VectorMath.IndexOfNonFinite(copy, width));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void SumRows_MatchesScalarBits(int floatsPerVector)
    {
        var width = (VectorWidth)floatsPerVector;
        foreach (int columns in Units)
        {
            foreach (int rows in Batches)
            {
                float[] values = Values(rows * columns, 26);
                float[] sums = new float[columns];
                float[] scalar = new float[columns];

                VectorMath.SumRows(values, sums, rows, columns, width);
                VectorMath.SumRows(values, scalar, rows, columns, VectorWidth.Scalar);

                Assert.Equal(scalar, sums);
            }
        }
    }

    private static IEnumerable<(int Batch, int Inputs, int Units)> Shapes()
    {
        foreach (int batch in Batches)
        {
            foreach (int inputs in Inputs)
            {
                foreach (int units in Units)
                {
                    yield return (batch, inputs, units);
                }
            }
        }
    }

    /// <summary>Returns Σ a·b in double precision and a bound on float rounding error of any summation order.</summary>
    private static (double Value, double Bound) Dot(float[] a, int aStart, int aStep, float[] b, int bStart, int bStep, int count, float start)
    {
        double sum = start;
        double magnitude = Math.Abs(start);
        for (int k = 0; k < count; k++)
        {
            double term = (double)a[aStart + (k * aStep)] * b[bStart + (k * bStep)];
            sum += term;
            magnitude += Math.Abs(term);
        }

        return (sum, (count + 2) * 1.2e-7 * magnitude + 1e-30);
    }

    private static void AssertClose(double expected, double actual, double bound, string where)
    {
        Assert.True(Math.Abs(expected - actual) <= bound, $"{where}: expected {expected}, got {actual} (bound {bound}).");
    }

    private static float[] Values(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (random.NextSingle() * 2f) - 1f;
        }

        return values;
    }

    private static float[] Positive(int count, int seed)
    {
        float[] values = Values(count, seed);
        for (int i = 0; i < count; i++)
        {
            values[i] = Math.Abs(values[i]);
        }

        return values;
    }

    private static float[] Ones(int count)
    {
        var values = new float[count];
        Array.Fill(values, 1f);
        return values;
    }
}
