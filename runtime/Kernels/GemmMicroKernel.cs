using System.Runtime.CompilerServices;

namespace ModelGen.Kernels;

/// <summary>A compile-time integer, so that one generic kernel body compiles to one variant per size.</summary>
internal interface IConstant
{
    static abstract int Value { get; }
}

internal readonly struct Const1 : IConstant
{
    public static int Value => 1;
}

internal readonly struct Const2 : IConstant
{
    public static int Value => 2;
}

internal readonly struct Const3 : IConstant
{
    public static int Value => 3;
}

internal readonly struct Const4 : IConstant
{
    public static int Value => 4;
}

internal readonly struct Const5 : IConstant
{
    public static int Value => 5;
}

internal readonly struct Const6 : IConstant
{
    public static int Value => 6;
}

internal readonly struct Const7 : IConstant
{
    public static int Value => 7;
}

internal readonly struct Const8 : IConstant
{
    public static int Value => 8;
}

/// <summary>
/// The register-blocked inner kernel of <see cref="Gemm"/>: a tile of up to 8 rows × 2 vectors of C kept in
/// registers while k runs, <c>C[r, j] = Σ_k A(r, k)·B[k, j]</c>. A is read by broadcasting one element per row
/// and k; B is read as vectors from rows <c>ldb</c> floats apart (a packed panel or the matrix itself). Each C
/// element is one fused multiply-add chain over k in increasing order, whichever tile shape computes it.
/// </summary>
internal static unsafe class GemmMicroKernel
{
    /// <summary>Computes one tile and writes it through the epilogue (accumulate, bias, ReLU).</summary>
    /// <typeparam name="TOps">Vector width.</typeparam>
    /// <typeparam name="TVector">Vector type of <typeparamref name="TOps"/>.</typeparam>
    /// <typeparam name="TRows">Rows of the tile, 1 to 8.</typeparam>
    /// <typeparam name="TColumns">Vectors per row of the tile, 1 or 2.</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TOps, TVector, TRows, TColumns>(
        float* a,
        nint aRowStride,
        nint aColumnStride,
        float* b,
        nint ldb,
        float* c,
        nint ldc,
        int k,
        in GemmEpilogue epilogue)
        where TOps : IVectorOps<TVector>
        where TVector : struct
        where TRows : IConstant
        where TColumns : IConstant
    {
        int rows = TRows.Value;
        bool two = TColumns.Value == 2;
        nint width = TOps.Count;
        nint o1 = aRowStride, o2 = 2 * aRowStride, o3 = 3 * aRowStride, o4 = 4 * aRowStride, o5 = 5 * aRowStride, o6 = 6 * aRowStride, o7 = 7 * aRowStride;

        TVector c00 = TOps.Zero, c01 = TOps.Zero;
        TVector c10 = TOps.Zero, c11 = TOps.Zero;
        TVector c20 = TOps.Zero, c21 = TOps.Zero;
        TVector c30 = TOps.Zero, c31 = TOps.Zero;
        TVector c40 = TOps.Zero, c41 = TOps.Zero;
        TVector c50 = TOps.Zero, c51 = TOps.Zero;
        TVector c60 = TOps.Zero, c61 = TOps.Zero;
        TVector c70 = TOps.Zero, c71 = TOps.Zero;

        for (int p = 0; p < k; p++)
        {
            TVector b0 = TOps.Load(ref *b, 0);
            TVector b1 = two ? TOps.Load(ref *b, width) : default;
            TVector x = TOps.Broadcast(a[0]);
            c00 = TOps.MultiplyAdd(x, b0, c00);
            if (two)
            {
                c01 = TOps.MultiplyAdd(x, b1, c01);
            }

            if (rows > 1)
            {
                x = TOps.Broadcast(a[o1]);
                c10 = TOps.MultiplyAdd(x, b0, c10);
                if (two)
                {
                    c11 = TOps.MultiplyAdd(x, b1, c11);
                }
            }

            if (rows > 2)
            {
                x = TOps.Broadcast(a[o2]);
                c20 = TOps.MultiplyAdd(x, b0, c20);
                if (two)
                {
                    c21 = TOps.MultiplyAdd(x, b1, c21);
                }
            }

            if (rows > 3)
            {
                x = TOps.Broadcast(a[o3]);
                c30 = TOps.MultiplyAdd(x, b0, c30);
                if (two)
                {
                    c31 = TOps.MultiplyAdd(x, b1, c31);
                }
            }

            if (rows > 4)
            {
                x = TOps.Broadcast(a[o4]);
                c40 = TOps.MultiplyAdd(x, b0, c40);
                if (two)
                {
                    c41 = TOps.MultiplyAdd(x, b1, c41);
                }
            }

            if (rows > 5)
            {
                x = TOps.Broadcast(a[o5]);
                c50 = TOps.MultiplyAdd(x, b0, c50);
                if (two)
                {
                    c51 = TOps.MultiplyAdd(x, b1, c51);
                }
            }

            if (rows > 6)
            {
                x = TOps.Broadcast(a[o6]);
                c60 = TOps.MultiplyAdd(x, b0, c60);
                if (two)
                {
                    c61 = TOps.MultiplyAdd(x, b1, c61);
                }
            }

            if (rows > 7)
            {
                x = TOps.Broadcast(a[o7]);
                c70 = TOps.MultiplyAdd(x, b0, c70);
                if (two)
                {
                    c71 = TOps.MultiplyAdd(x, b1, c71);
                }
            }

            a += aColumnStride;
            b += ldb;
        }

        Write<TOps, TVector>(c00, c, 0, epilogue);
        if (two)
        {
            Write<TOps, TVector>(c01, c, width, epilogue);
        }

        if (rows > 1)
        {
            c += ldc;
            Write<TOps, TVector>(c10, c, 0, epilogue);
            if (two)
            {
                Write<TOps, TVector>(c11, c, width, epilogue);
            }
        }

        if (rows > 2)
        {
            c += ldc;
            Write<TOps, TVector>(c20, c, 0, epilogue);
            if (two)
            {
                Write<TOps, TVector>(c21, c, width, epilogue);
            }
        }

        if (rows > 3)
        {
            c += ldc;
            Write<TOps, TVector>(c30, c, 0, epilogue);
            if (two)
            {
                Write<TOps, TVector>(c31, c, width, epilogue);
            }
        }

        if (rows > 4)
        {
            c += ldc;
            Write<TOps, TVector>(c40, c, 0, epilogue);
            if (two)
            {
                Write<TOps, TVector>(c41, c, width, epilogue);
            }
        }

        if (rows > 5)
        {
            c += ldc;
            Write<TOps, TVector>(c50, c, 0, epilogue);
            if (two)
            {
                Write<TOps, TVector>(c51, c, width, epilogue);
            }
        }

        if (rows > 6)
        {
            c += ldc;
            Write<TOps, TVector>(c60, c, 0, epilogue);
            if (two)
            {
                Write<TOps, TVector>(c61, c, width, epilogue);
            }
        }

        if (rows > 7)
        {
            c += ldc;
            Write<TOps, TVector>(c70, c, 0, epilogue);
            if (two)
            {
                Write<TOps, TVector>(c71, c, width, epilogue);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write<TOps, TVector>(TVector value, float* c, nint column, in GemmEpilogue epilogue)
        where TOps : IVectorOps<TVector>
        where TVector : struct
    {
        if (epilogue.Accumulate)
        {
            value = TOps.Add(TOps.Load(ref c[column], 0), value);
        }

        if (epilogue.Bias != null)
        {
            value = TOps.Add(value, TOps.Load(ref epilogue.Bias[column], 0));
        }

        if (epilogue.Relu)
        {
            value = TOps.Relu(value);
        }

        TOps.Store(value, ref c[column], 0);
    }
}

/// <summary>
/// What a GEMM tile does with its sums: add the old C (<see cref="Accumulate"/>), then add the bias of its
/// columns (<see cref="Bias"/>, already offset to the tile's first column, or null), then apply ReLU.
/// </summary>
internal readonly unsafe struct GemmEpilogue
{
    public GemmEpilogue(bool accumulate, float* bias, bool relu)
    {
        Accumulate = accumulate;
        Bias = bias;
        Relu = relu;
    }

    public bool Accumulate { get; }

    public float* Bias { get; }

    public bool Relu { get; }

    public GemmEpilogue WithBiasOffset(nint columns) => new(Accumulate, Bias == null ? null : Bias + columns, Relu);
}
