using System;
using ModelGen.Tests.Models;
using ModelGen.Training;
using Xunit;

namespace ModelGen.Tests;

/// <summary>
/// <c>Fit</c> on a set of heads that has no training method of its own, because the model limits the subsets
/// it generates: it trains with the method for every head and gives the other heads weight 0.
/// </summary>
public class SubsetFallbackTests
{
    private const int Rows = 24;

    [Fact]
    public void FallbackPair_MatchesOwnMethod()
    {
        var limited = new LimitedSubsetNet();
        var full = new FullSubsetNet();
        float[][] cBefore = [(float[])limited.CHidden.Weights.Clone(), (float[])limited.C.Weights.Clone()];

        limited.Fit(new LimitedSubsetNet.Dataset(Inputs(), TargetsA(), TargetsB(), Labels()), Options(limited.A, limited.B));
        full.Fit(new FullSubsetNet.Dataset(Inputs(), TargetsA(), TargetsB(), Labels()), Options(full.A, full.B));

        // The shared and trained layers equal those of the pair's own method bit for bit.
        Assert.Equal(full.Trunk.Weights, limited.Trunk.Weights);
        Assert.Equal(full.A.Weights, limited.A.Weights);
        Assert.Equal(full.B.Weights, limited.B.Weights);
        Assert.Equal(cBefore[0], limited.CHidden.Weights);
        Assert.Equal(cBefore[1], limited.C.Weights);
        Assert.Null(limited.Optimizer.GetState(limited.C.WeightParameter));
        Assert.Null(limited.Optimizer.GetState(limited.CHidden.WeightParameter));
    }

    [Fact]
    public void FallbackPair_NeedsNoOtherTargets()
    {
        var net = new LimitedSubsetNet();
        float[] cBefore = (float[])net.C.Weights.Clone();

        TrainingHistory history = net.Fit(new LimitedSubsetNet.Dataset(Inputs(), TargetsA(), TargetsB()), Options(net.A, net.B));

        Assert.True(double.IsFinite(history.Epochs[^1].Training.Loss));
        Assert.Equal(cBefore, net.C.Weights);
    }

    [Fact]
    public void StoppedHead_LeavesFallbackPair()
    {
        // Head C stops after the first epoch; A and B then train on without a method of their own.
        var net = new LimitedSubsetNet();
        FitOptions options = Options(net.A, net.B, net.C);
        options.Epochs = 3;
        bool stopped = false;
        options.Callbacks.Add(new EpochEndCallback((context, _) =>
        {
            if (!stopped)
            {
                stopped = true;
                context.StopHead(net.C, "stopped by the test");
            }
        }));

        net.Fit(new LimitedSubsetNet.Dataset(Inputs(), TargetsA(), TargetsB(), Labels()), options);
        // C trained in the first epoch only: one step per batch, then no step and no change.
        Assert.Equal(Rows / options.BatchSize, net.Optimizer.GetState(net.C.WeightParameter)!.StepCount);
        Assert.Equal(Rows / options.BatchSize, net.Optimizer.GetState(net.CHidden.WeightParameter)!.StepCount);
        Assert.Equal(3 * Rows / options.BatchSize, net.Optimizer.GetState(net.A.WeightParameter)!.StepCount);
    }

    private static FitOptions Options(params Layer[] heads) => new()
    {
        Epochs = 2,
        BatchSize = 8,
        Shuffle = false,
        Progress = ProgressDisplay.None,
        Heads = heads,
    };

    private static float[] Inputs() => Values(Rows * 4, 1);

    private static float[] TargetsA() => Values(Rows, 2);

    private static float[] TargetsB() => Values(Rows, 3);

    private static int[] Labels()
    {
        var labels = new int[Rows];
        for (int i = 0; i < Rows; i++)
        {
            labels[i] = i % 3;
        }

        return labels;
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
