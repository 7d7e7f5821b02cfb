using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelGen.Kernels;

/// <summary>
/// The product of <see cref="GemmProblem"/> as one dot product per C element, for a transposed B (a weight
/// matrix [units, inputs]) with few columns or few rows: a head of 1 or 10 units, or a single sample, where
/// packing B would cost more than the product. Vectors run along k over four columns at a time (four rows when
/// C has fewer than four columns). Lane sums are added in a fixed order, then the k tail that no vector fills
/// is added one element at a time.
/// </summary>
internal static unsafe class GemmDot
{
    /// <summary>Rows that the kernel reduces together when C has fewer than 4 columns; a split among threads keeps these groups whole.</summary>
    internal const int RowGroup = 4;

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
        int m = firstRow;
        if (p.N < 4)
        {
            // Few columns (a head of 1 to 3 units): four rows at a time instead, so that four chains still run.
            for (; m <= endRow - RowGroup; m += RowGroup)
            {
                float* a0 = p.A + (m * p.ARowStride);
                float* a1 = a0 + p.ARowStride;
                float* a2 = a1 + p.ARowStride;
                float* a3 = a2 + p.ARowStride;
                for (int n = 0; n < p.N; n++)
                {
                    float* b0 = p.B + (n * p.BStride);
                    TVector acc0 = TOps.Zero, acc1 = TOps.Zero, acc2 = TOps.Zero, acc3 = TOps.Zero;
                    for (int kk = 0; kk < vectorEnd; kk += width)
                    {
                        TVector w = TOps.Load(ref b0[kk], 0);
                        acc0 = TOps.MultiplyAdd(TOps.Load(ref a0[kk], 0), w, acc0);
                        acc1 = TOps.MultiplyAdd(TOps.Load(ref a1[kk], 0), w, acc1);
                        acc2 = TOps.MultiplyAdd(TOps.Load(ref a2[kk], 0), w, acc2);
                        acc3 = TOps.MultiplyAdd(TOps.Load(ref a3[kk], 0), w, acc3);
                    }

                    Vector128<float> sums = TOps.Sum4(acc0, acc1, acc2, acc3);
                    float s0 = sums.GetElement(0), s1 = sums.GetElement(1), s2 = sums.GetElement(2), s3 = sums.GetElement(3);
                    for (int kk = vectorEnd; kk < k; kk++)
                    {
                        float w = b0[kk];
                        s0 = float.MultiplyAddEstimate(a0[kk], w, s0);
                        s1 = float.MultiplyAddEstimate(a1[kk], w, s1);
                        s2 = float.MultiplyAddEstimate(a2[kk], w, s2);
                        s3 = float.MultiplyAddEstimate(a3[kk], w, s3);
                    }

                    float* c = p.C + (m * p.CStride);
                    Write(p, c, n, s0);
                    Write(p, c + p.CStride, n, s1);
                    Write(p, c + (2 * p.CStride), n, s2);
                    Write(p, c + (3 * p.CStride), n, s3);
                }
            }
        }

        for (; m < endRow; m++)
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

                Vector128<float> sums = TOps.Sum4(acc0, acc1, acc2, acc3);
                if (vectorEnd < k)
                {
                    float s0 = sums.GetElement(0), s1 = sums.GetElement(1), s2 = sums.GetElement(2), s3 = sums.GetElement(3);
                    for (int kk = vectorEnd; kk < k; kk++)
                    {
                        float x = a[kk];
                        s0 = float.MultiplyAddEstimate(x, b0[kk], s0);
                        s1 = float.MultiplyAddEstimate(x, b1[kk], s1);
                        s2 = float.MultiplyAddEstimate(x, b2[kk], s2);
                        s3 = float.MultiplyAddEstimate(x, b3[kk], s3);
                    }

                    sums = Vector128.Create(s0, s1, s2, s3);
                }

                Write4(p, c, n, sums);
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

    /// <summary>Writes four adjacent outputs through the epilogue with one vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write4(in GemmProblem p, float* c, int n, Vector128<float> sums)
    {
        Vector128<float> value = p.Accumulate ? Vector128.Load(c + n) + sums : sums;
        if (p.Bias != null)
        {
            value += Vector128.Load(p.Bias + n);
        }

        if (p.Relu)
        {
            value = Vector128.Max(value, Vector128<float>.Zero);
        }

        value.Store(c + n);
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
