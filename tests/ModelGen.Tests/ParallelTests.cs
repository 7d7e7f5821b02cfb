using System;
using ModelGen.Kernels;
using ModelGen.Tests.Models;
using Xunit;

namespace ModelGen.Tests;

/// <summary>Runs after the parallel test collections, so that no other test changes the thread settings meanwhile.</summary>
[CollectionDefinition(nameof(KernelSettingsGroup), DisableParallelization = true)]
public class KernelSettingsGroup
{
}

/// <summary>
/// Multi-core kernels against one thread. The products are split by output columns or rows, so every thread
/// count must give the same bits, not just close values.
/// </summary>
[Collection(nameof(KernelSettingsGroup))]
public sealed class ParallelTests : IDisposable
{
    private readonly int _maxThreads = KernelParallelism.MaxThreads;
    private readonly long _minWork = KernelParallelism.MinMultiplyAddsPerThread;

    public void Dispose()
    {
        KernelParallelism.MaxThreads = _maxThreads;
        KernelParallelism.MinMultiplyAddsPerThread = _minWork;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Training_MatchesOneThreadBitForBit(int threads)
    {
        float[][] single = Train(threads: 1, steps: 3, batch: 33);
        long jobsBefore = KernelWorkerPool.JobsRun;

        float[][] multi = Train(threads, steps: 3, batch: 33);

        Assert.True(KernelWorkerPool.JobsRun > jobsBefore, "No product ran on the worker threads.");
        Assert.Equal(single.Length, multi.Length);
        for (int p = 0; p < single.Length; p++)
        {
            Assert.Equal(single[p], multi[p]);
        }
    }

    [Fact]
    public void Predict_MatchesOneThreadBitForBit()
    {
        var net = new WideNet();
        float[] x = Values(17 * 70, 1);
        KernelParallelism.MaxThreads = 1;
        WideNet.Outputs single = net.Predict(x);
        KernelParallelism.MaxThreads = 2;
        KernelParallelism.MinMultiplyAddsPerThread = 1;
        long jobsBefore = KernelWorkerPool.JobsRun;

        WideNet.Outputs multi = net.Predict(x);

        Assert.True(KernelWorkerPool.JobsRun > jobsBefore, "No product ran on the worker threads.");
        Assert.Equal(single.Classes, multi.Classes);
        Assert.Equal(single.Value, multi.Value);
    }

    [Fact]
    public void LargestMinimumWork_KeepsOneThread()
    {
        KernelParallelism.MaxThreads = 2;
        KernelParallelism.MinMultiplyAddsPerThread = long.MaxValue;

        Assert.False(KernelParallelism.MayUseThreads(1));
        Assert.False(KernelParallelism.MayUseThreads(long.MaxValue));
        Assert.Equal(1, KernelParallelism.ThreadsFor(long.MaxValue, maxParts: 8));
    }

    [Fact]
    public void SmallProducts_StayOnCallingThread()
    {
        KernelParallelism.MaxThreads = 2;
        KernelParallelism.MinMultiplyAddsPerThread = KernelParallelism.DefaultMinMultiplyAddsPerThread;
        var net = new TwoHeadNet();
        float[] x = Values(32 * 32, 2);
        net.TrainOnOutput1AndOutput2(x, Values(32, 3), Values(32, 4));
        long jobsBefore = KernelWorkerPool.JobsRun;

        net.TrainOnOutput1AndOutput2(x, Values(32, 3), Values(32, 4));

        Assert.Equal(jobsBefore, KernelWorkerPool.JobsRun);
    }

    [Fact]
    public void MaxThreads_RejectsOutOfRange()
    {
        int before = KernelParallelism.MaxThreads;

        Assert.Throws<ArgumentOutOfRangeException>(() => KernelParallelism.MaxThreads = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelParallelism.MaxThreads = KernelParallelism.ThreadLimit + 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelParallelism.MinMultiplyAddsPerThread = 0);
        Assert.Equal(before, KernelParallelism.MaxThreads);
    }

    private static float[][] Train(int threads, int steps, int batch)
    {
        KernelParallelism.MaxThreads = threads;
        KernelParallelism.MinMultiplyAddsPerThread = 1;
        var net = new WideNet();
        var random = new Random(5);
        for (int step = 0; step < steps; step++)
        {
            float[] x = Values(batch * 70, 10 + step);
            int[] labels = new int[batch];
            for (int i = 0; i < batch; i++)
            {
                labels[i] = random.Next(10);
            }

            net.TrainOnClassesAndValue(x, labels, Values(batch, 20 + step));
        }

        return net.GetWeights();
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
}
