using System;
using System.Threading;

namespace ModelGen.Kernels;

/// <summary>
/// Process-wide settings of the multi-core kernels. A matrix product of a dense layer (forward, weight
/// gradient or input gradient) is split among up to <see cref="MaxThreads"/> threads when it has at least
/// <see cref="MinMultiplyAddsPerThread"/> multiply-adds per thread. The split is by output columns or rows, so
/// each output element is computed by the same sequence of operations as on one thread: results are
/// bit-for-bit the same for every thread count.
/// </summary>
public static class KernelParallelism
{
    /// <summary>The default of <see cref="MinMultiplyAddsPerThread"/>.</summary>
    /// <remarks>
    /// Measured with <c>bench/</c>'s threshold sweep (BenchmarkDotNet, medians) on an idle 2-core AMD EPYC (Zen 4)
    /// virtual machine. At 1 M multiply-adds per product, two threads ran the forward pass of a 512 → 512 layer
    /// 1.8 times and the backward pass 1.9 times as fast as one. NOTE: no blocked product between 0.5 M and 1 M
    /// was measured, so the crossover may sit lower. On a machine whose other cores are busy, it moves up.
    /// </remarks>
    public const long DefaultMinMultiplyAddsPerThread = 1L << 19;

    /// <summary>Upper bound of <see cref="MaxThreads"/>.</summary>
    public const int ThreadLimit = 64;

    /// <summary>
    /// Maximum number of threads one matrix product uses, the calling thread included; 1 turns multi-core
    /// kernels off. Defaults to <see cref="Environment.ProcessorCount"/> (at most <see cref="ThreadLimit"/>).
    /// Worker threads are started on first use and then kept.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above <see cref="ThreadLimit"/>.</exception>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set
        {
            if (value < 1 || value > ThreadLimit)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"MaxThreads must be between 1 and {ThreadLimit}.");
            }

            Volatile.Write(ref s_maxThreads, value);
        }
    }

    /// <summary>
    /// Multiply-adds that each thread of a matrix product must get before another thread joins; products below
    /// twice this value run on the calling thread alone, and <see cref="long.MaxValue"/> keeps every product there.
    /// Defaults to <see cref="DefaultMinMultiplyAddsPerThread"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public static long MinMultiplyAddsPerThread
    {
        get => Volatile.Read(ref s_minMultiplyAddsPerThread);
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "MinMultiplyAddsPerThread must be at least 1.");
            }

            Volatile.Write(ref s_minMultiplyAddsPerThread, value);
        }
    }

    private static int s_maxThreads = Math.Clamp(Environment.ProcessorCount, 1, ThreadLimit);
    private static long s_minMultiplyAddsPerThread = DefaultMinMultiplyAddsPerThread;

    /// <summary>Returns whether a product of <paramref name="multiplyAdds"/> multiply-adds can use more than one thread.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static bool MayUseThreads(long multiplyAdds) => s_maxThreads > 1 && multiplyAdds / 2 >= s_minMultiplyAddsPerThread;

    /// <summary>Returns how many threads a product of <paramref name="multiplyAdds"/> multiply-adds uses, at most <paramref name="maxParts"/>.</summary>
    internal static int ThreadsFor(long multiplyAdds, int maxParts)
    {
        int threads = s_maxThreads;
        long minimum = Volatile.Read(ref s_minMultiplyAddsPerThread);
        // Halving the work instead of doubling the minimum cannot overflow, even for long.MaxValue.
        if (threads <= 1 || multiplyAdds / 2 < minimum)
        {
            return 1;
        }

        long byWork = multiplyAdds / minimum;
        return (int)Math.Clamp(Math.Min(byWork, Math.Min(threads, maxParts)), 1, ThreadLimit);
    }
}
