using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ModelGen.Kernels;

/// <summary>Vector width of a kernel path, in floats per vector.</summary>
internal enum VectorWidth
{
    /// <summary>The scalar reference path.</summary>
    Scalar = 1,

    /// <summary><see cref="Vector128{T}"/>.</summary>
    Vector128 = 4,

    /// <summary><see cref="Vector256{T}"/>.</summary>
    Vector256 = 8,

    /// <summary><see cref="Vector512{T}"/>.</summary>
    Vector512 = 16,
}

/// <summary>
/// One matrix product <c>C[m, n] (+)= Σ_k A(m, k)·B(k, n)</c>, then the epilogue (bias of column n, ReLU).
/// A is addressed through two strides so that it can be a matrix or the transpose of one without copying;
/// B is row-major <c>B[k·BStride + n]</c>, or with <see cref="BTransposed"/> <c>B[n·BStride + k]</c>
/// (a weight matrix [units, inputs] read as its transpose); C is row-major.
/// </summary>
internal unsafe struct GemmProblem
{
    public float* A;
    public nint ARowStride;
    public nint AColumnStride;
    public float* B;
    public nint BStride;
    public bool BTransposed;
    public float* C;
    public nint CStride;
    public int M;
    public int N;
    public int K;
    public bool Accumulate;
    public float* Bias;
    public bool Relu;
}

/// <summary>
/// Register- and cache-blocked matrix product. Columns are cut into panels of two vectors (one vector for the
/// last panel) and k into equal blocks whose packed panel fits half of L1. For each panel and k block, the B
/// block is packed into a contiguous buffer that stays in L1 while every row tile of A (8 rows with 512-bit
/// vectors, else 6) runs over it. Columns that no vector fills go to the next narrower width, down to scalar.
/// Every C element is the same fused multiply-add chain over k whichever tile computes it, so splitting the
/// columns or rows among threads does not change it.
/// </summary>
internal static unsafe class Gemm
{
    /// <summary>Maximum depth of one k block.</summary>
    internal const int BlockK = 256;

    /// <summary>
    /// Bytes of a packed B panel: half of a 32 KiB L1 data cache (AMD Zen 4 has 32 KiB, recent Intel cores 48 KiB),
    /// so that the rows of A that a tile reads stay in L1 beside it.
    /// </summary>
    private const int PanelBytes = 16 * 1024;

    [ThreadStatic]
    private static PackBuffer? t_pack;

    /// <summary>The widest width that runs on vector hardware here.</summary>
    internal static VectorWidth Widest { get; } =
        Vector512.IsHardwareAccelerated ? VectorWidth.Vector512
        : Vector256.IsHardwareAccelerated ? VectorWidth.Vector256
        : Vector128.IsHardwareAccelerated ? VectorWidth.Vector128
        : VectorWidth.Scalar;

    /// <summary>Whether <paramref name="width"/> can run here (the scalar path always can).</summary>
    internal static bool IsSupported(VectorWidth width) => width switch
    {
        VectorWidth.Vector512 => Vector512.IsHardwareAccelerated,
        VectorWidth.Vector256 => Vector256.IsHardwareAccelerated,
        VectorWidth.Vector128 => Vector128.IsHardwareAccelerated,
        _ => true,
    };

    /// <summary>Computes columns [<paramref name="firstColumn"/>, <paramref name="endColumn"/>) of C.</summary>
    internal static void MultiplyColumns(in GemmProblem p, int firstColumn, int endColumn, VectorWidth widest)
    {
        int n = firstColumn;
        if (widest >= VectorWidth.Vector512)
        {
            n = Columns<Vector512Ops, Vector512<float>>(p, n, endColumn);
        }

        if (widest >= VectorWidth.Vector256)
        {
            n = Columns<Vector256Ops, Vector256<float>>(p, n, endColumn);
        }

        if (widest >= VectorWidth.Vector128)
        {
            n = Columns<Vector128Ops, Vector128<float>>(p, n, endColumn);
        }

        Columns<ScalarOps, float>(p, n, endColumn);
    }

    /// <summary>
    /// Computes the columns from <paramref name="firstColumn"/> that whole vectors of this width cover and returns
    /// the first column left over.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Columns<TOps, TVector>(in GemmProblem p, int firstColumn, int endColumn)
        where TOps : IVectorOps<TVector>
        where TVector : struct
    {
        int width = TOps.Count;
        int end = firstColumn + ((endColumn - firstColumn) / width * width);
        if (end == firstColumn)
        {
            return end;
        }

        int depth = BlockDepth(width, p.K);
        int blocks = (p.K + depth - 1) / depth;
        float* packed = p.BTransposed || blocks > 1 ? Pack(depth * 2 * width) : null;
        for (int j = firstColumn; j < end;)
        {
            int vectors = end - j >= 2 * width ? 2 : 1;
            int panelWidth = vectors * width;
            for (int k0 = 0; k0 < p.K; k0 += depth)
            {
                int kc = Math.Min(depth, p.K - k0);
                float* b;
                nint ldb;
                if (packed != null)
                {
                    PackPanel(p, k0, kc, j, panelWidth, packed);
                    b = packed;
                    ldb = panelWidth;
                }
                else
                {
                    b = p.B + (k0 * p.BStride) + j;
                    ldb = p.BStride;
                }

                bool last = k0 + kc == p.K;
                var epilogue = new GemmEpilogue(p.Accumulate || k0 > 0, last && p.Bias != null ? p.Bias + j : null, last && p.Relu);
                float* a = p.A + (k0 * p.AColumnStride);
                float* c = p.C + j;
                if (vectors == 2)
                {
                    Rows<TOps, TVector, Const2>(p, a, b, ldb, c, kc, epilogue);
                }
                else
                {
                    Rows<TOps, TVector, Const1>(p, a, b, ldb, c, kc, epilogue);
                }
            }

            j += panelWidth;
        }

        return end;
    }

    /// <summary>
    /// Depth of the k blocks for vectors of <paramref name="width"/> floats: equal blocks no deeper than a panel of
    /// <see cref="PanelBytes"/> allows. 784 inputs with 512-bit vectors are 7 blocks of 112, not 6 of 128 and a
    /// short one that pays a full pass over C for little arithmetic.
    /// </summary>
    internal static int BlockDepth(int width, int k)
    {
        int maxDepth = Math.Min(BlockK, PanelBytes / (2 * width * sizeof(float)));
        int blocks = Math.Max(1, (k + maxDepth - 1) / maxDepth);
        return (k + blocks - 1) / blocks;
    }

    /// <summary>
    /// Rows of a full register tile for a width: 8 with 512-bit vectors (16 accumulators of the 32 AVX-512
    /// registers), else 6 (12 accumulators, so that AVX2's 16 registers also hold the two B vectors).
    /// </summary>
    internal static int TileRowsFor(VectorWidth width) => width == VectorWidth.Vector512 ? 8 : 6;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TOps, TVector, TColumns>(in GemmProblem p, float* a, float* b, nint ldb, float* c, int k, in GemmEpilogue epilogue)
        where TOps : IVectorOps<TVector>
        where TVector : struct
        where TColumns : IConstant
    {
        int i = 0;
        if (TOps.Count == 16)
        {
            for (; i <= p.M - 8; i += 8)
            {
                GemmMicroKernel.Run<TOps, TVector, Const8, TColumns>(a + (i * p.ARowStride), p.ARowStride, p.AColumnStride, b, ldb, c + (i * p.CStride), p.CStride, k, epilogue);
            }
        }
        else
        {
            for (; i <= p.M - 6; i += 6)
            {
                GemmMicroKernel.Run<TOps, TVector, Const6, TColumns>(a + (i * p.ARowStride), p.ARowStride, p.AColumnStride, b, ldb, c + (i * p.CStride), p.CStride, k, epilogue);
            }
        }

        float* aTail = a + (i * p.ARowStride);
        float* cTail = c + (i * p.CStride);
        switch (p.M - i)
        {
            case 1:
                GemmMicroKernel.Run<TOps, TVector, Const1, TColumns>(aTail, p.ARowStride, p.AColumnStride, b, ldb, cTail, p.CStride, k, epilogue);
                break;
            case 2:
                GemmMicroKernel.Run<TOps, TVector, Const2, TColumns>(aTail, p.ARowStride, p.AColumnStride, b, ldb, cTail, p.CStride, k, epilogue);
                break;
            case 3:
                GemmMicroKernel.Run<TOps, TVector, Const3, TColumns>(aTail, p.ARowStride, p.AColumnStride, b, ldb, cTail, p.CStride, k, epilogue);
                break;
            case 4:
                GemmMicroKernel.Run<TOps, TVector, Const4, TColumns>(aTail, p.ARowStride, p.AColumnStride, b, ldb, cTail, p.CStride, k, epilogue);
                break;
            case 5:
                GemmMicroKernel.Run<TOps, TVector, Const5, TColumns>(aTail, p.ARowStride, p.AColumnStride, b, ldb, cTail, p.CStride, k, epilogue);
                break;
            case 6:
                GemmMicroKernel.Run<TOps, TVector, Const6, TColumns>(aTail, p.ARowStride, p.AColumnStride, b, ldb, cTail, p.CStride, k, epilogue);
                break;
            case 7:
                GemmMicroKernel.Run<TOps, TVector, Const7, TColumns>(aTail, p.ARowStride, p.AColumnStride, b, ldb, cTail, p.CStride, k, epilogue);
                break;
        }
    }

    /// <summary>Copies B(k0..k0+kc, j..j+width) into <paramref name="destination"/>, row-major with rows of <paramref name="width"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPanel(in GemmProblem p, int k0, int kc, int j, int width, float* destination)
    {
        if (p.BTransposed)
        {
            PackTransposed(p.B + (j * p.BStride) + k0, p.BStride, kc, width, destination);
        }
        else
        {
            nint bytes = width * sizeof(float);
            for (int kk = 0; kk < kc; kk++)
            {
                Buffer.MemoryCopy(p.B + ((k0 + kk) * p.BStride) + j, destination + (kk * width), bytes, bytes);
            }
        }
    }

    /// <summary>
    /// Writes <c>destination[kk·width + jj] = source[jj·stride + kk]</c> for kk &lt; kc and jj &lt; width: rows of
    /// the source become columns of the panel. With SSE, 4 × 4 blocks are transposed in registers (eight
    /// shuffles per block) so that every load and store moves four floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackTransposed(float* source, nint stride, int kc, int width, float* destination)
    {
        int jj = 0;
        if (Sse.IsSupported)
        {
            int kcBlocks = kc & ~3;
            for (; jj <= width - 4; jj += 4)
            {
                float* r0 = source + (jj * stride);
                float* r1 = r0 + stride;
                float* r2 = r1 + stride;
                float* r3 = r2 + stride;
                float* target = destination + jj;
                int kk = 0;
                for (; kk < kcBlocks; kk += 4)
                {
                    Vector128<float> a = Sse.LoadVector128(r0 + kk);
                    Vector128<float> b = Sse.LoadVector128(r1 + kk);
                    Vector128<float> c = Sse.LoadVector128(r2 + kk);
                    Vector128<float> d = Sse.LoadVector128(r3 + kk);
                    Vector128<float> ab01 = Sse.Shuffle(a, b, 0x44);
                    Vector128<float> ab23 = Sse.Shuffle(a, b, 0xEE);
                    Vector128<float> cd01 = Sse.Shuffle(c, d, 0x44);
                    Vector128<float> cd23 = Sse.Shuffle(c, d, 0xEE);
                    float* t = target + (kk * width);
                    Sse.Store(t, Sse.Shuffle(ab01, cd01, 0x88));
                    Sse.Store(t + width, Sse.Shuffle(ab01, cd01, 0xDD));
                    Sse.Store(t + (2 * width), Sse.Shuffle(ab23, cd23, 0x88));
                    Sse.Store(t + (3 * width), Sse.Shuffle(ab23, cd23, 0xDD));
                }

                for (; kk < kc; kk++)
                {
                    float* t = target + (kk * width);
                    t[0] = r0[kk];
                    t[1] = r1[kk];
                    t[2] = r2[kk];
                    t[3] = r3[kk];
                }
            }
        }

        for (; jj < width; jj++)
        {
            float* row = source + (jj * stride);
            float* target = destination + jj;
            for (int kk = 0; kk < kc; kk++)
            {
                target[kk * width] = row[kk];
            }
        }
    }

    private static float* Pack(int floats)
    {
        PackBuffer? buffer = t_pack;
        if (buffer is null || buffer.Length < floats)
        {
            buffer = new PackBuffer(Math.Max(floats, BlockK * 2 * Vector512<float>.Count));
            t_pack = buffer;
        }

        return buffer.Pointer;
    }

    /// <summary>A pinned, 64-byte aligned scratch buffer, one per thread, reused by every product on that thread.</summary>
    private sealed class PackBuffer
    {
        private readonly float[] _array;

        public PackBuffer(int floats)
        {
            _array = GC.AllocateUninitializedArray<float>(floats + 16, pinned: true);
            nint address = (nint)Unsafe.AsPointer(ref _array[0]);
            nint aligned = (address + 63) & ~(nint)63;
            Pointer = (float*)aligned;
            Length = floats;
        }

        public float* Pointer { get; }

        public int Length { get; }
    }
}
