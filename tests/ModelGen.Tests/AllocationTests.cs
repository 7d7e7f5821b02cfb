using System;
using ModelGen.Kernels;
using ModelGen.Optimizers;
using ModelGen.Tests.Models;
using Xunit;

namespace ModelGen.Tests;

/// <summary>
/// Training and prediction allocate nothing once the buffers have grown to the batch size. The count is the
/// calling thread's allocated bytes, which no other test thread changes.
/// </summary>
public class AllocationTests
{
    private const int Calls = 20;

    public static TheoryData<string> Optimizers() => new() { "adam", "sgd", "momentum", "nesterov" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void TrainingMethods_AllocateNothing(string optimizer)
    {
        var net = new TwoHeadNet { Optimizer = Create(optimizer) };
        float[] x = Values(32 * 32, 1);
        float[] t1 = Values(32, 2);
        float[] t2 = Values(32, 3);

        Assert.Equal(0, AllocatedBy(() => net.TrainOnOutput1AndOutput2(x, t1, t2)));
        Assert.Equal(0, AllocatedBy(() => net.TrainOnOutput1(x, t1)));
        Assert.Equal(0, AllocatedBy(() => net.TrainOnOutput2(x, t2)));
    }

    [Fact]
    public void PredictSpanForms_AllocateNothing()
    {
        var net = new TwoHeadNet();
        float[] one = Values(32, 4);
        float[] batch = Values(32 * 32, 5);
        float[] o1 = new float[32], o2 = new float[32];

        Assert.Equal(0, AllocatedBy(() => net.Predict(one, o1.AsSpan(0, 1), o2.AsSpan(0, 1))));
        Assert.Equal(0, AllocatedBy(() => net.Predict(batch, o1, o2)));
        Assert.Equal(0, AllocatedBy(() => net.PredictOutput2(batch, o2)));
    }

    [Fact]
    public void SoftmaxNetwork_AllocatesNothing()
    {
        var net = new WideNet();
        float[] x = Values(33 * 70, 6);
        int[] labels = new int[33];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = i % 10;
        }

        float[] values = Values(33, 7);
        float[] classes = new float[33 * 10], value = new float[33];

        Assert.Equal(0, AllocatedBy(() => net.TrainOnClassesAndValue(x, labels, values)));
        Assert.Equal(0, AllocatedBy(() => net.TrainOnClasses(x, labels)));
        Assert.Equal(0, AllocatedBy(() => net.Predict(x, classes, value)));
    }

    [Fact]
    public void OptimizerStep_AllocatesNothing()
    {
        var parameters = new[] { new Parameter("a.weight", 17, 3), new Parameter("a.bias", 17), new Parameter("b.weight", 1, 17) };
        var adam = new Adam();

        Assert.Equal(0, AllocatedBy(() => adam.Step(parameters[0], parameters[1], parameters[2])));
        Assert.Equal(0, AllocatedBy(() => adam.Step(parameters)));
    }

    [Fact]
    public void BatchGrowth_AllocatesOnlyOnFirstLargerBatch()
    {
        var net = new TwoHeadNet();
        float[] small = Values(2 * 32, 8);
        float[] smallTargets = Values(2, 10);
        float[] large = Values(40 * 32, 9);
        float[] largeTargets = Values(40, 11);
        net.TrainOnOutput2(small, smallTargets);

        long grow = AllocatedOnce(() => net.TrainOnOutput2(large, largeTargets));

        Assert.True(grow > 0, "Growing the buffers to a larger batch should allocate.");
        Assert.Equal(0, AllocatedBy(() => net.TrainOnOutput2(small, smallTargets)));
        Assert.Equal(0, AllocatedBy(() => net.TrainOnOutput2(large, largeTargets)));
    }

    /// <summary>Runs <paramref name="action"/> twice to warm up, then returns the bytes that <see cref="Calls"/> more calls allocate.</summary>
    internal static long AllocatedBy(Action action)
    {
        action();
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Calls; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static long AllocatedOnce(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static Optimizer Create(string name) => name switch
    {
        "adam" => new Adam(),
        "sgd" => new Sgd(0.01f),
        "momentum" => new Sgd(0.01f, momentum: 0.9f),
        _ => new Sgd(0.01f, momentum: 0.9f, nesterov: true),
    };

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

/// <summary>Zero allocation with the multi-core kernels forced on, in the group that owns the thread settings.</summary>
[Collection(nameof(KernelSettingsGroup))]
public sealed class ParallelAllocationTests : IDisposable
{
    private readonly int _maxThreads = KernelParallelism.MaxThreads;
    private readonly long _minWork = KernelParallelism.MinMultiplyAddsPerThread;

    public void Dispose()
    {
        KernelParallelism.MaxThreads = _maxThreads;
        KernelParallelism.MinMultiplyAddsPerThread = _minWork;
    }

    [Fact]
    public void MultiCoreTraining_AllocatesNothing()
    {
        KernelParallelism.MaxThreads = 2;
        KernelParallelism.MinMultiplyAddsPerThread = 1;
        var net = new WideNet();
        float[] x = new float[33 * 70];
        x.AsSpan().Fill(0.25f);
        int[] labels = new int[33];
        float[] values = new float[33];
        long jobsBefore = KernelWorkerPool.JobsRun;

        Assert.Equal(0, AllocationTests.AllocatedBy(() => net.TrainOnClassesAndValue(x, labels, values)));
        Assert.True(KernelWorkerPool.JobsRun > jobsBefore, "No product ran on the worker threads.");
    }
}
