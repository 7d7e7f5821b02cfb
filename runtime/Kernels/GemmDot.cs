using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelGen.Kernels;

/// <summary>
/// The product of <see cref="GemmProblem"/> as one dot product per C element, for a transposed B (a weight
/// matrix [units, inputs]) with few columns or few rows: a head of 1 or 10 units, or a single sample, where
/// packing B would cost more than the product. Vectors run along k, four columns at a time; the lane sums are
/// added in a fixed order and the k tail that no vector fills is added last, one element at a time.
/// </summary>
internal static unsafe class GemmDot
{
    /// <summary>Whether a forward product of this shape runs faster as dot products than through the packed GEMM.</summary>
    /// <param name="rows">Samples (M).</param>
    /// <param name="columns">Units (N).</param>
    /// <param name="widest">Widest vector width in use.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Prefers(int rows, int columns, VectorWidth widest) => columns < (int)widest || rows <= 2;

    /// <summary>Computes rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) of C; A must have column stride 1 and B must be transposed.</summary>
    internal static void MultiplyRows(in GemmProblem p, int firstRow, int endRow, VectorWidth widest)
    {
        if (p.AColumnStride != 1 || !p.BTransposed)
        {
            throw new InvalidOperationException("The dot-product GEMM needs contiguous rows of A and a transposed B.");
        }

        if (widest >= VectorWidth.Vector512 && p.K >= Vector512<float>.Count)
        {
            Rows<Vector512Ops, Vector512<float>>(p, firstRow, endRow);
        }
        else if (widest >= VectorWidth.Vector256 && p.K >= Vector256<float>.Count)
        {
            Rows<Vector256Ops, Vector256<float>>(p, firstRow, endRow);
        }
        else if (widest >= VectorWidth.Vector128 && p.K >= Vector128<float>.Count)
        {
            Rows<Vector128Ops, Vector128<float>>(p, firstRow, endRow);
        }
        else
        {
            Rows<ScalarOps, float>(p, firstRow, endRow);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TOps, TVector>(in GemmProblem p, int firstRow, int endRow)
        where TOps : IVectorOps<TVector>
        where TVector : struct
    {
        int width = TOps.Count;
        int k = p.K;
        int vectorEnd = k / width * width;
        for (int m = firstRow; m < endRow; m++)
        {
            float* a = p.A + (m * p.ARowStride);
            float* c = p.C + (m * p.CStride);
            int n = 0;
            for (; n <= p.N - 4; n += 4)
            {
                float* b0 = p.B + (n * p.BStride);
                float* b1 = b0 + p.BStride;
                float* b2 = b1 + p.BStride;
                float* b3 = b2 + p.BStride;
                TVector acc0 = TOps.Zero, acc1 = TOps.Zero, acc2 = TOps.Zero, acc3 = TOps.Zero;
                for (int kk = 0; kk < vectorEnd; kk += width)
                {
                    TVector x = TOps.Load(ref a[kk], 0);
                    acc0 = TOps.MultiplyAdd(x, TOps.Load(ref b0[kk], 0), acc0);
                    acc1 = TOps.MultiplyAdd(x, TOps.Load(ref b1[kk], 0), acc1);
                    acc2 = TOps.MultiplyAdd(x, TOps.Load(ref b2[kk], 0), acc2);
                    acc3 = TOps.MultiplyAdd(x, TOps.Load(ref b3[kk], 0), acc3);
                }

                float s0 = TOps.Sum(acc0), s1 = TOps.Sum(acc1), s2 = TOps.Sum(acc2), s3 = TOps.Sum(acc3);
                for (int kk = vectorEnd; kk < k; kk++)
                {
                    float x = a[kk];
                    s0 = float.MultiplyAddEstimate(x, b0[kk], s0);
                    s1 = float.MultiplyAddEstimate(x, b1[kk], s1);
                    s2 = float.MultiplyAddEstimate(x, b2[kk], s2);
                    s3 = float.MultiplyAddEstimate(x, b3[kk], s3);
                }

                Write(p, c, n, s0);
                Write(p, c, n + 1, s1);
                Write(p, c, n + 2, s2);
                Write(p, c, n + 3, s3);
            }

            for (; n < p.N; n++)
            {
                float* b0 = p.B + (n * p.BStride);
                TVector acc0 = TOps.Zero;
                for (int kk = 0; kk < vectorEnd; kk += width)
                {
                    acc0 = TOps.MultiplyAdd(TOps.Load(ref a[kk], 0), TOps.Load(ref b0[kk], 0), acc0);
                }

                float s0 = TOps.Sum(acc0);
                for (int kk = vectorEnd; kk < k; kk++)
                {
                    s0 = float.MultiplyAddEstimate(a[kk], b0[kk], s0);
                }

                Write(p, c, n, s0);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(in GemmProblem p, float* c, int n, float sum)
    {
        float value = p.Accumulate ? c[n] + sum : sum;
        if (p.Bias != null)
        {
            value += p.Bias[n];
        }

        if (p.Relu)
        {
            value = MathF.Max(value, 0f);
        }

        c[n] = value;
    }
}
