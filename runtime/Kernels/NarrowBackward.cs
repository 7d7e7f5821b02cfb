using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelGen.Kernels;

/// <summary>
/// Backward pass of a dense layer with at most <see cref="MaxUnits"/> units, such as a regression head: the
/// weight gradient and the input gradient in one sweep over the batch, without the setup of two blocked products.
/// Every value goes through the same operations in the same order as in <see cref="Gemm"/> (the weight
/// gradient is one fused multiply-add chain over the batch per element, restarted at each k block of the
/// column's vector width; the input gradient is a chain over the units added to the old value), so the two paths
/// give the same bits and the width tests cover both.
/// </summary>
internal static unsafe class NarrowBackward
{
    /// <summary>Most units of a layer that takes this path.</summary>
    internal const int MaxUnits = 3;

    /// <summary>
    /// Computes <c>dW[o, i] = Σ_b dz[b, o]·x[b, i]</c> when <paramref name="dw"/> is not null and adds
    /// <c>Σ_o dz[b, o]·W[o, i]</c> to <c>dx[b, i]</c> when <paramref name="dx"/> is not null.
    /// </summary>
    internal static void Run(float* x, float* w, float* dz, float* dw, float* dx, int batch, int inputs, int units, VectorWidth widest)
    {
        int i = 0;
        if (widest >= VectorWidth.Vector512)
        {
            i = Columns<Vector512Ops, Vector512<float>>(x, w, dz, dw, dx, batch, inputs, units, i);
        }

        if (widest >= VectorWidth.Vector256)
        {
            i = Columns<Vector256Ops, Vector256<float>>(x, w, dz, dw, dx, batch, inputs, units, i);
        }

        if (widest >= VectorWidth.Vector128)
        {
            i = Columns<Vector128Ops, Vector128<float>>(x, w, dz, dw, dx, batch, inputs, units, i);
        }

        Columns<ScalarOps, float>(x, w, dz, dw, dx, batch, inputs, units, i);
    }

    /// <summary>
    /// Handles the input columns from <paramref name="first"/> that whole vectors of this width cover, two vectors
    /// at a time where it can so that independent chains overlap, and returns the first column left over.
    /// </summary>
    private static int Columns<TOps, TVector>(float* x, float* w, float* dz, float* dw, float* dx, int batch, int inputs, int units, int first)
        where TOps : IVectorOps<TVector>
        where TVector : struct
    {
        int width = TOps.Count;
        int end = first + ((inputs - first) / width * width);

        // The k blocks that Gemm uses for this width, so that the weight gradient restarts its chains where the
        // blocked product does.
        int depth = Gemm.BlockDepth(width, batch);
        int i = first;
        for (; i <= end - (2 * width); i += 2 * width)
        {
            Panel<TOps, TVector, Const2>(x, w, dz, dw, dx, batch, inputs, units, depth, i);
        }

        if (i < end)
        {
            Panel<TOps, TVector, Const1>(x, w, dz, dw, dx, batch, inputs, units, depth, i);
        }

        return end;
    }

    /// <summary>One or two vectors of input columns starting at <paramref name="i"/>, over the whole batch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Panel<TOps, TVector, TColumns>(float* x, float* w, float* dz, float* dw, float* dx, int batch, int inputs, int units, int depth, int i)
        where TOps : IVectorOps<TVector>
        where TVector : struct
        where TColumns : IConstant
    {
        bool two = TColumns.Value == 2;
        nint width = TOps.Count;
        float* w0 = w + i, w1 = w0 + inputs, w2 = w1 + inputs;
        TVector w00 = TOps.Load(ref w0[0], 0), w01 = two ? TOps.Load(ref w0[0], width) : TOps.Zero;
        TVector w10 = units > 1 ? TOps.Load(ref w1[0], 0) : TOps.Zero, w11 = units > 1 && two ? TOps.Load(ref w1[0], width) : TOps.Zero;
        TVector w20 = units > 2 ? TOps.Load(ref w2[0], 0) : TOps.Zero, w21 = units > 2 && two ? TOps.Load(ref w2[0], width) : TOps.Zero;
        TVector t00 = TOps.Zero, t01 = TOps.Zero, t10 = TOps.Zero, t11 = TOps.Zero, t20 = TOps.Zero, t21 = TOps.Zero;
        for (int b0 = 0; b0 < batch; b0 += depth)
        {
            int b1 = Math.Min(batch, b0 + depth);
            TVector s00 = TOps.Zero, s01 = TOps.Zero, s10 = TOps.Zero, s11 = TOps.Zero, s20 = TOps.Zero, s21 = TOps.Zero;
            for (int b = b0; b < b1; b++)
            {
                float* g = dz + (b * units);
                TVector g0 = TOps.Broadcast(g[0]);
                TVector g1 = units > 1 ? TOps.Broadcast(g[1]) : TOps.Zero;
                TVector g2 = units > 2 ? TOps.Broadcast(g[2]) : TOps.Zero;
                if (dw != null)
                {
                    float* xb = x + (b * inputs) + i;
                    TVector x0 = TOps.Load(ref xb[0], 0), x1 = two ? TOps.Load(ref xb[0], width) : TOps.Zero;
                    s00 = TOps.MultiplyAdd(g0, x0, s00);
                    s01 = two ? TOps.MultiplyAdd(g0, x1, s01) : s01;
                    if (units > 1)
                    {
                        s10 = TOps.MultiplyAdd(g1, x0, s10);
                        s11 = two ? TOps.MultiplyAdd(g1, x1, s11) : s11;
                    }

                    if (units > 2)
                    {
                        s20 = TOps.MultiplyAdd(g2, x0, s20);
                        s21 = two ? TOps.MultiplyAdd(g2, x1, s21) : s21;
                    }
                }

                if (dx != null)
                {
                    float* target = dx + (b * inputs) + i;
                    AddInputGradient<TOps, TVector>(target, 0, units, g0, g1, g2, w00, w10, w20);
                    if (two)
                    {
                        AddInputGradient<TOps, TVector>(target, width, units, g0, g1, g2, w01, w11, w21);
                    }
                }
            }

            bool firstBlock = b0 == 0;
            t00 = firstBlock ? s00 : TOps.Add(t00, s00);
            t01 = firstBlock ? s01 : TOps.Add(t01, s01);
            t10 = firstBlock ? s10 : TOps.Add(t10, s10);
            t11 = firstBlock ? s11 : TOps.Add(t11, s11);
            t20 = firstBlock ? s20 : TOps.Add(t20, s20);
            t21 = firstBlock ? s21 : TOps.Add(t21, s21);
        }

        if (dw != null)
        {
            StoreRow<TOps, TVector>(dw + i, width, two, t00, t01);
            if (units > 1)
            {
                StoreRow<TOps, TVector>(dw + inputs + i, width, two, t10, t11);
            }

            if (units > 2)
            {
                StoreRow<TOps, TVector>(dw + (2 * inputs) + i, width, two, t20, t21);
            }
        }
    }

    /// <summary>Adds <c>Σ_o g_o·w_o</c> (a chain from zero, as in the blocked product) to one vector of the input gradient.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddInputGradient<TOps, TVector>(float* target, nint offset, int units, TVector g0, TVector g1, TVector g2, TVector w0, TVector w1, TVector w2)
        where TOps : IVectorOps<TVector>
        where TVector : struct
    {
        TVector s = TOps.MultiplyAdd(g0, w0, TOps.Zero);
        if (units > 1)
        {
            s = TOps.MultiplyAdd(g1, w1, s);
        }

        if (units > 2)
        {
            s = TOps.MultiplyAdd(g2, w2, s);
        }

        TOps.Store(TOps.Add(TOps.Load(ref target[0], offset), s), ref target[0], offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TOps, TVector>(float* row, nint width, bool two, TVector first, TVector second)
        where TOps : IVectorOps<TVector>
        where TVector : struct
    {
        TOps.Store(first, ref row[0], 0);
        if (two)
        {
            TOps.Store(second, ref row[0], width);
        }
    }
}
