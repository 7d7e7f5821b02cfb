using System;
using System.Linq;
using System.Runtime.Intrinsics;
using ModelGen.Kernels;
using Xunit;

namespace ModelGen.Tests;

/// <summary>Every vector width of the primitives against the scalar path, on lengths around each width.</summary>
public class VectorMathTests
{
    public static TheoryData<int> Lengths() => [1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 65, 129];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Dot_EveryWidthMatchesScalar(int length)
    {
        (float[] a, float[] b) = Vectors(length);
        float scalar = VectorMath.Dot<ScalarOps, float>(a, b);
        double exact = a.Zip(b).Sum(p => (double)p.First * p.Second);
        Assert.Equal(exact, scalar, 1e-4);
        if (Vector128.IsHardwareAccelerated)
        {
            Assert.Equal(scalar, VectorMath.Dot<Vector128Ops, Vector128<float>>(a, b), 1e-4f);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Assert.Equal(scalar, VectorMath.Dot<Vector256Ops, Vector256<float>>(a, b), 1e-4f);
        }

        if (Vector512.IsHardwareAccelerated)
        {
            Assert.Equal(scalar, VectorMath.Dot<Vector512Ops, Vector512<float>>(a, b), 1e-4f);
        }

        Assert.Equal(scalar, VectorMath.Dot(a, b), 1e-4f);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void MultiplyAdd_EveryWidthMatchesScalar(int length)
    {
        (float[] x, float[] y) = Vectors(length);
        float[] expected = (float[])y.Clone();
        VectorMath.MultiplyAdd<ScalarOps, float>(0.75f, x, expected);
        var widths = new (bool Accelerated, Action<float[]> Run)[]
        {
            (Vector128.IsHardwareAccelerated, d => VectorMath.MultiplyAdd<Vector128Ops, Vector128<float>>(0.75f, x, d)),
            (Vector256.IsHardwareAccelerated, d => VectorMath.MultiplyAdd<Vector256Ops, Vector256<float>>(0.75f, x, d)),
            (Vector512.IsHardwareAccelerated, d => VectorMath.MultiplyAdd<Vector512Ops, Vector512<float>>(0.75f, x, d)),
            (true, d => VectorMath.MultiplyAdd(0.75f, x, d)),
        };
        foreach ((bool accelerated, Action<float[]> run) in widths.Where(w => w.Accelerated))
        {
            float[] actual = (float[])y.Clone();
            run(actual);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(expected[i], actual[i], 1e-6f);
            }
        }
    }

    [Fact]
    public void ShortSecondVector_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => VectorMath.Dot(new float[40], new float[39]));
        Assert.Throws<ArgumentException>(() => VectorMath.MultiplyAdd(1f, new float[40], new float[39]));
    }

    private static (float[] A, float[] B) Vectors(int length)
    {
        var random = new Random(length);
        return (
            Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(),
            Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray());
    }
}
