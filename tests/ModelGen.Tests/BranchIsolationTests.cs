using System;
using System.Linq;
using ModelGen.Optimizers;
using ModelGen.Tests.Models;
using Xunit;

namespace ModelGen.Tests;

/// <summary>
/// Training one head changes only what that head reaches: the other head's weights, bias and Adam state stay
/// bit-for-bit as they were.
/// </summary>
public class BranchIsolationTests
{
    private const int Batch = 16;

    [Fact]
    public void OneHeadTraining_LeavesOtherHeadBitwise()
    {
        var net = new TwoHeadNet();
        (float[] x, float[] y1, float[] y2) = Data(seed: 5);

        // Phase 1: both heads; every parameter changes.
        Snapshot start = Snapshot.Of(net);
        net.TrainOnOutput1AndOutput2(x, y1, y2);
        Snapshot afterBoth = Snapshot.Of(net);
        foreach (Parameter parameter in net.Parameters)
        {
            Assert.False(start.SameValues(afterBoth, parameter), $"{parameter.Name} did not change.");
            Assert.Equal(1, parameter.OptimizerState!.StepCount);
        }

        // Phase 2: Output2 only.
        for (int step = 0; step < 3; step++)
        {
            net.TrainOnOutput2(x, y2);
        }

        Snapshot afterSecond = Snapshot.Of(net);
        Assert.True(afterBoth.SameValuesAndState(afterSecond, net.Output1.WeightParameter));
        Assert.True(afterBoth.SameValuesAndState(afterSecond, net.Output1.BiasParameter));
        Assert.False(afterBoth.SameValues(afterSecond, net.Hidden.WeightParameter));
        Assert.False(afterBoth.SameValues(afterSecond, net.Output2.WeightParameter));
        Assert.Equal(4, net.Output2.WeightParameter.OptimizerState!.StepCount);
        Assert.Equal(1, net.Output1.WeightParameter.OptimizerState!.StepCount);

        // Phase 3: Output1 only.
        net.TrainOnOutput1(x, y1);
        Snapshot afterFirst = Snapshot.Of(net);
        Assert.True(afterSecond.SameValuesAndState(afterFirst, net.Output2.WeightParameter));
        Assert.True(afterSecond.SameValuesAndState(afterFirst, net.Output2.BiasParameter));
        Assert.False(afterSecond.SameValues(afterFirst, net.Hidden.WeightParameter));
        Assert.False(afterSecond.SameValues(afterFirst, net.Output1.WeightParameter));
        Assert.Equal(2, net.Output1.WeightParameter.OptimizerState!.StepCount);
    }

    [Fact]
    public void FirstUpdateOfTensor_IsAdamStepOne()
    {
        // Output1 is first trained after Output2 has been trained three times: its first update must be
        // Adam's step 1, whose size is the learning rate for every element with a non-zero gradient.
        var net = new TwoHeadNet { Optimizer = new Adam(learningRate: 0.01f) };
        (float[] x, float[] y1, float[] y2) = Data(seed: 6);
        for (int step = 0; step < 3; step++)
        {
            net.TrainOnOutput2(x, y2);
        }

        float[] before = (float[])net.Output1.Bias.Clone();
        net.TrainOnOutput1(x, y1);

        Assert.Equal(1, net.Output1.BiasParameter.OptimizerState!.StepCount);
        Assert.Equal(0.01f, Math.Abs(net.Output1.Bias[0] - before[0]), 1e-6f);
    }

    [Fact]
    public void PredictOutput2_IgnoresOutput1()
    {
        var net = new TwoHeadNet();
        (float[] x, _, _) = Data(seed: 7);
        float[] before = net.PredictOutput2(x);

        Array.Fill(net.Output1.Weights, float.MaxValue);
        float[] after = net.PredictOutput2(x);

        Assert.Equal(before, after);
        Assert.Equal(before, net.Predict(x).Output2);
    }

    internal static (float[] X, float[] Y1, float[] Y2) Data(int seed)
    {
        var random = new Random(seed);
        float[] x = Enumerable.Range(0, Batch * 32).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] y1 = Enumerable.Range(0, Batch).Select(b => x[b * 32] + x[(b * 32) + 1]).ToArray();
        float[] y2 = Enumerable.Range(0, Batch).Select(b => x[(b * 32) + 2] - x[(b * 32) + 3]).ToArray();
        return (x, y1, y2);
    }

    /// <summary>Copies of every parameter's values and optimizer state at one moment.</summary>
    private sealed class Snapshot
    {
        private readonly (float[] Values, long Steps, float[][] Buffers)[] _entries;
        private readonly IModel _model;

        private Snapshot(IModel model)
        {
            _model = model;
            _entries = model.Parameters
                .Select(p => ((float[])p.Value.Clone(), p.OptimizerState?.StepCount ?? 0, p.OptimizerState?.Buffers.Select(b => (float[])b.Clone()).ToArray() ?? []))
                .ToArray();
        }

        public static Snapshot Of(IModel model) => new(model);

        public bool SameValues(Snapshot other, Parameter parameter)
        {
            int i = Index(parameter);
            return _entries[i].Values.AsSpan().SequenceEqual(other._entries[i].Values);
        }

        public bool SameValuesAndState(Snapshot other, Parameter parameter)
        {
            int i = Index(parameter);
            var (values, steps, buffers) = _entries[i];
            var (otherValues, otherSteps, otherBuffers) = other._entries[i];
            return values.AsSpan().SequenceEqual(otherValues)
                && steps == otherSteps
                && buffers.Length == otherBuffers.Length
                && buffers.Zip(otherBuffers).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));
        }

        private int Index(Parameter parameter)
        {
            for (int i = 0; i < _model.Parameters.Count; i++)
            {
                if (ReferenceEquals(_model.Parameters[i], parameter))
                {
                    return i;
                }
            }

            throw new ArgumentException($"{parameter.Name} is not a parameter of the model.", nameof(parameter));
        }
    }
}
