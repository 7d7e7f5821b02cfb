using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ModelGen.Kernels;

/// <summary>
/// Vector primitives behind the layer kernels. Each dispatches to the widest accelerated vector size
/// (512, 256, 128 bits) that fits the length, else to a scalar loop. Within one machine and one width the
/// summation order is fixed, so results are reproducible. Across widths the order differs, so sums may
/// differ in the last bits.
/// </summary>
public static class VectorMath
{
    /// <summary>Returns <c>Σ a[i]·b[i]</c>.</summary>
    /// <param name="a">First vector.</param>
    /// <param name="b">Second vector, at least as long as <paramref name="a"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (Vector512.IsHardwareAccelerated && a.Length >= Vector512<float>.Count)
        {
            return Dot<Vector512Ops, Vector512<float>>(a, b);
        }

        if (Vector256.IsHardwareAccelerated && a.Length >= Vector256<float>.Count)
        {
            return Dot<Vector256Ops, Vector256<float>>(a, b);
        }

        if (Vector128.IsHardwareAccelerated && a.Length >= Vector128<float>.Count)
        {
            return Dot<Vector128Ops, Vector128<float>>(a, b);
        }

        return Dot<ScalarOps, float>(a, b);
    }

    /// <summary>Adds <c>alpha·x</c> to <paramref name="y"/> element-wise.</summary>
    /// <param name="alpha">Scale of <paramref name="x"/>.</param>
    /// <param name="x">Source vector.</param>
    /// <param name="y">Destination, at least as long as <paramref name="x"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        if (Vector512.IsHardwareAccelerated && x.Length >= Vector512<float>.Count)
        {
            MultiplyAdd<Vector512Ops, Vector512<float>>(alpha, x, y);
        }
        else if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            MultiplyAdd<Vector256Ops, Vector256<float>>(alpha, x, y);
        }
        else if (Vector128.IsHardwareAccelerated && x.Length >= Vector128<float>.Count)
        {
            MultiplyAdd<Vector128Ops, Vector128<float>>(alpha, x, y);
        }
        else
        {
            MultiplyAdd<ScalarOps, float>(alpha, x, y);
        }
    }

    /// <summary>
    /// Returns <c>Σ a[i]·b[i]</c> with vectors of one width: two accumulators over whole vectors, their lane sum,
    /// then the elements that no vector covers one at a time. The scalar width runs only the last loop.
    /// </summary>
    internal static float Dot<TOps, TVector>(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        where TOps : IVectorOps<TVector>
        where TVector : struct
    {
        int n = a.Length;
        ThrowIfShorter(b, n);
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        int width = TOps.Count;
        int i = 0;
        float sum = 0f;
        if (width > 1)
        {
            TVector acc0 = TOps.Zero, acc1 = TOps.Zero;
            for (; i <= n - (2 * width); i += 2 * width)
            {
                acc0 = TOps.MultiplyAdd(TOps.Load(ref ra, i), TOps.Load(ref rb, i), acc0);
                acc1 = TOps.MultiplyAdd(TOps.Load(ref ra, i + width), TOps.Load(ref rb, i + width), acc1);
            }

            for (; i <= n - width; i += width)
            {
                acc0 = TOps.MultiplyAdd(TOps.Load(ref ra, i), TOps.Load(ref rb, i), acc0);
            }

            sum = TOps.Sum(TOps.Add(acc0, acc1));
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref ra, i) * Unsafe.Add(ref rb, i);
        }

        return sum;
    }

    /// <summary>Adds <c>alpha·x</c> to <paramref name="y"/> with vectors of one width, then the tail one element at a time.</summary>
    internal static void MultiplyAdd<TOps, TVector>(float alpha, ReadOnlySpan<float> x, Span<float> y)
        where TOps : IVectorOps<TVector>
        where TVector : struct
    {
        int n = x.Length;
        ThrowIfShorter(y, n);
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        int width = TOps.Count;
        int i = 0;
        if (width > 1)
        {
            TVector scale = TOps.Broadcast(alpha);
            for (; i <= n - width; i += width)
            {
                TOps.Store(TOps.MultiplyAdd(scale, TOps.Load(ref rx, i), TOps.Load(ref ry, i)), ref ry, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref ry, i) += alpha * Unsafe.Add(ref rx, i);
        }
    }

    // The vector loops read through refs without bounds checks, so the lengths are checked once up front.
    private static void ThrowIfShorter(ReadOnlySpan<float> span, int length)
    {
        if (span.Length < length)
        {
            throw new ArgumentException($"The second vector has {span.Length} elements; at least {length} are needed.");
        }
    }

    /// <summary>Writes <c>sums[j] = Σ_r values[r·columns + j]</c>, adding rows in order so that every width gives the same bits.</summary>
    internal static void SumRows(ReadOnlySpan<float> values, Span<float> sums, int rows, int columns, VectorWidth widest)
    {
        if (values.Length < rows * columns || sums.Length < columns)
        {
            throw new ArgumentException($"Row sum buffers are too short: values {values.Length} of {rows * columns}, sums {sums.Length} of {columns}.");
        }

        ref float source = ref MemoryMarshal.GetReference(values);
        ref float destination = ref MemoryMarshal.GetReference(sums);
        int j = 0;
        if (widest >= VectorWidth.Vector512)
        {
            j = SumRows<Vector512Ops, Vector512<float>>(ref source, ref destination, rows, columns, j);
        }

        if (widest >= VectorWidth.Vector256)
        {
            j = SumRows<Vector256Ops, Vector256<float>>(ref source, ref destination, rows, columns, j);
        }

        if (widest >= VectorWidth.Vector128)
        {
            j = SumRows<Vector128Ops, Vector128<float>>(ref source, ref destination, rows, columns, j);
        }

        SumRows<ScalarOps, float>(ref source, ref destination, rows, columns, j);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SumRows<TOps, TVector>(ref float source, ref float destination, int rows, int columns, int firstColumn)
        where TOps : IVectorOps<TVector>
        where TVector : struct
    {
        int width = TOps.Count;
        int j = firstColumn;

        // Two column vectors at a time, so that two chains of additions overlap; each column still adds its
        // rows in order from the first.
        for (; j <= columns - (2 * width); j += 2 * width)
        {
            TVector sum0 = TOps.Zero, sum1 = TOps.Zero;
            for (int r = 0; r < rows; r++)
            {
                sum0 = TOps.Add(sum0, TOps.Load(ref source, (r * columns) + j));
                sum1 = TOps.Add(sum1, TOps.Load(ref source, (r * columns) + j + width));
            }

            TOps.Store(sum0, ref destination, j);
            TOps.Store(sum1, ref destination, j + width);
        }

        for (; j <= columns - width; j += width)
        {
            TVector sum = TOps.Zero;
            for (int r = 0; r < rows; r++)
            {
                sum = TOps.Add(sum, TOps.Load(ref source, (r * columns) + j));
            }

            TOps.Store(sum, ref destination, j);
        }

        return j;
    }

    /// <summary>Returns the index of the first NaN or infinity in <paramref name="values"/>, or -1.</summary>
    /// <param name="values">Values to scan.</param>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values) => IndexOfNonFinite(values, Gemm.Widest);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int IndexOfNonFinite(ReadOnlySpan<float> values, VectorWidth widest)
    {
        ref float source = ref MemoryMarshal.GetReference(values);
        int n = values.Length;
        int i = 0;
        if (widest >= VectorWidth.Vector512)
        {
            i = SkipFinite<Vector512Ops, Vector512<float>>(ref source, i, n);
        }

        if (widest >= VectorWidth.Vector256)
        {
            i = SkipFinite<Vector256Ops, Vector256<float>>(ref source, i, n);
        }

        if (widest >= VectorWidth.Vector128)
        {
            i = SkipFinite<Vector128Ops, Vector128<float>>(ref source, i, n);
        }

        for (; i < n; i++)
        {
            if (!float.IsFinite(Unsafe.Add(ref source, i)))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Returns the start of the first vector that contains a non-finite value, or of the tail no vector covers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SkipFinite<TOps, TVector>(ref float source, int first, int n)
        where TOps : IVectorOps<TVector>
        where TVector : struct
    {
        int width = TOps.Count;
        int i = first;

        // Fast pass over blocks of four vectors: x - x is 0 for a finite x and NaN otherwise, and a NaN survives
        // the sum, so one comparison per block is enough. A block with a non-finite value is rescanned below.
        for (; i <= n - (4 * width); i += 4 * width)
        {
            TVector a = TOps.Load(ref source, i), b = TOps.Load(ref source, i + width);
            TVector c = TOps.Load(ref source, i + (2 * width)), d = TOps.Load(ref source, i + (3 * width));
            TVector sum = TOps.Add(TOps.Add(TOps.Subtract(a, a), TOps.Subtract(b, b)), TOps.Add(TOps.Subtract(c, c), TOps.Subtract(d, d)));
            if (!TOps.AllFinite(sum))
            {
                break;
            }
        }

        for (; i <= n - width; i += width)
        {
            if (!TOps.AllFinite(TOps.Load(ref source, i)))
            {
                break;
            }
        }

        return i;
    }
}
