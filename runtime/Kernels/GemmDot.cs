using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ModelGen.Kernels;

/// <summary>
/// The product of <see cref="GemmProblem"/> as one dot product per C element, for a transposed B (a weight
/// matrix [units, inputs]) with fewer columns than one vector contains or with one or two rows (see
/// <see cref="Prefers"/>), where packing B would cost more than the product. Vectors run along k over four columns at a time (four rows when
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
            if (typeof(TVector) == typeof(Vector512<float>) && Avx512F.IsSupported)
            {
                for (; m <= endRow - 16; m += 16)
                {
                    SixteenRows(p, m);
                }
            }

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

    /// <summary>
    /// Computes sixteen rows of a product with fewer than four columns, with 512-bit vectors, and reduces the sixteen
    /// row sums of a column in one tree of shuffles and additions. Each sum gets the additions of
    /// <see cref="VectorReduction.Sum4"/> in the same order, so a row gives the same bits on either path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SixteenRows(in GemmProblem p, int m)
    {
        int k = p.K;
        int vectorEnd = k / 16 * 16;
        float* a = p.A + (m * p.ARowStride);
        nint stride = p.ARowStride;
        float* sums = stackalloc float[16];
        for (int n = 0; n < p.N; n++)
        {
            float* b = p.B + (n * p.BStride);
            Vector512<float> r0 = default, r1 = default, r2 = default, r3 = default, r4 = default, r5 = default, r6 = default, r7 = default;
            Vector512<float> r8 = default, r9 = default, r10 = default, r11 = default, r12 = default, r13 = default, r14 = default, r15 = default;
            for (int kk = 0; kk < vectorEnd; kk += 16)
            {
                Vector512<float> w = Vector512.Load(b + kk);
                float* row = a + kk;
                r0 = Vector512.MultiplyAddEstimate(Vector512.Load(row), w, r0);
                r1 = Vector512.MultiplyAddEstimate(Vector512.Load(row + stride), w, r1);
                r2 = Vector512.MultiplyAddEstimate(Vector512.Load(row + (2 * stride)), w, r2);
                r3 = Vector512.MultiplyAddEstimate(Vector512.Load(row + (3 * stride)), w, r3);
                r4 = Vector512.MultiplyAddEstimate(Vector512.Load(row + (4 * stride)), w, r4);
                r5 = Vector512.MultiplyAddEstimate(Vector512.Load(row + (5 * stride)), w, r5);
                r6 = Vector512.MultiplyAddEstimate(Vector512.Load(row + (6 * stride)), w, r6);
                r7 = Vector512.MultiplyAddEstimate(Vector512.Load(row + (7 * stride)), w, r7);
                r8 = Vector512.MultiplyAddEstimate(Vector512.Load(row + (8 * stride)), w, r8);
                r9 = Vector512.MultiplyAddEstimate(Vector512.Load(row + (9 * stride)), w, r9);
                r10 = Vector512.MultiplyAddEstimate(Vector512.Load(row + (10 * stride)), w, r10);
                r11 = Vector512.MultiplyAddEstimate(Vector512.Load(row + (11 * stride)), w, r11);
                r12 = Vector512.MultiplyAddEstimate(Vector512.Load(row + (12 * stride)), w, r12);
                r13 = Vector512.MultiplyAddEstimate(Vector512.Load(row + (13 * stride)), w, r13);
                r14 = Vector512.MultiplyAddEstimate(Vector512.Load(row + (14 * stride)), w, r14);
                r15 = Vector512.MultiplyAddEstimate(Vector512.Load(row + (15 * stride)), w, r15);
            }

            // Halves: each 256-bit half of a pair vector contains one row's upper-plus-lower sums.
            Vector512<float> h01 = Halves(r0, r1), h23 = Halves(r2, r3), h45 = Halves(r4, r5), h67 = Halves(r6, r7);
            Vector512<float> h89 = Halves(r8, r9), h1011 = Halves(r10, r11), h1213 = Halves(r12, r13), h1415 = Halves(r14, r15);

            // Quarters: each 128-bit lane contains one row's four partial sums, rows 0-3, 4-7, 8-11 and 12-15.
            Vector512<float> q0 = Quarters(h01, h23), q1 = Quarters(h45, h67), q2 = Quarters(h89, h1011), q3 = Quarters(h1213, h1415);

            // Adjacent pairs, then the two pair sums: lane l of the result contains rows l, l + 4, l + 8, l + 12.
            Vector512<float> pairs01 = Pairs(q0, q1), pairs23 = Pairs(q2, q3);
            Vector512<float> interleaved = Pairs(pairs01, pairs23);
            Vector512<float> total = Avx512F.PermuteVar16x32(interleaved, Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15));

            if (p.N == 1 && p.CStride == 1 && vectorEnd == k)
            {
                // One contiguous column and no k tail: the epilogue of Write on all sixteen rows at once.
                float* c = p.C + m;
                if (p.Accumulate)
                {
                    total = Vector512.Load(c) + total;
                }

                if (p.Bias != null)
                {
                    total += Vector512.Create(p.Bias[0]);
                }

                if (p.Relu)
                {
                    total = Vector512.Max(total, Vector512<float>.Zero);
                }

                total.Store(c);
                continue;
            }

            total.Store(sums);
            for (int r = 0; r < 16; r++)
            {
                float sum = sums[r];
                float* row = a + (r * stride);
                for (int kk = vectorEnd; kk < k; kk++)
                {
                    sum = float.MultiplyAddEstimate(row[kk], b[kk], sum);
                }

                Write(p, p.C + ((m + r) * p.CStride), n, sum);
            }
        }
    }

    /// <summary>Returns <c>[a.lo + a.hi, b.lo + b.hi]</c> by 256-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Halves(Vector512<float> a, Vector512<float> b) =>
        Avx512F.Shuffle4x128(a, b, 0b01_00_01_00) + Avx512F.Shuffle4x128(a, b, 0b11_10_11_10);

    /// <summary>From two vectors of two rows' halves each, returns four 128-bit lanes, one row each: lane sums of upper and lower quarter.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Quarters(Vector512<float> a, Vector512<float> b) =>
        Avx512F.Shuffle4x128(a, b, 0b10_00_10_00) + Avx512F.Shuffle4x128(a, b, 0b11_01_11_01);

    /// <summary>Within each 128-bit lane, returns <c>[a0 + a1, a2 + a3, b0 + b1, b2 + b3]</c>, as a horizontal add does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pairs(Vector512<float> a, Vector512<float> b) =>
        Avx512F.Shuffle(a, b, 0b10_00_10_00) + Avx512F.Shuffle(a, b, 0b11_01_11_01);

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
