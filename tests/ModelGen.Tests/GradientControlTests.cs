using System;
using System.Collections.Generic;
using System.Linq;
using ModelGen.Optimizers;
using ModelGen.Tests.Models;
using ModelGen.Tests.Reference;
using Xunit;

namespace ModelGen.Tests;

/// <summary>Freezing, stop-gradient edges, head weights, per-sample weights, output-only layers and dropout.</summary>
public class GradientControlTests
{
    private const double Tolerance = NetSFixture.Tolerance;
    private static readonly float[] X = NetSFixture.X;
    private static readonly float[] TargetA = NetSFixture.TargetA;
    private static readonly float[] TargetB = NetSFixture.TargetB;

    // Reference results of one SGD step (learning rate 0.1) from the Net-S weights.
    private static readonly double[] TrunkWeightsAfterA = [0.1391264982, -0.1534413863, 0.2739998174, 0.3648946902];
    private static readonly double[] TrunkBiasAfterA = [0.0522204285, -0.0396510104];
    private static readonly double[] HeadAWeightsAfterA = [0.4876396057, -0.4438029368];
    private static readonly double[] HeadBWeightsAfterB = [-0.2910055526, 0.1743348729];

    private static readonly float[][] NetSWeights =
    [
        [0.1f, -0.2f, 0.3f, 0.4f], [0f, 0f],
        [0.5f, -0.5f], [0f],
        [-0.3f, 0.2f], [0.1f],
    ];

    private static TModel Prepare<TModel>(TModel model)
        where TModel : IModel
    {
        model.Optimizer = new Sgd(0.1f);
        model.SetWeights(NetSWeights);
        return model;
    }

    // ---- Output-only heads ------------------------------------------------------------------------

    [Fact]
    public void OutputOnlyLayer_IsPredictedButNeverTrained()
    {
        NetSOutputOnly net = Prepare(new NetSOutputOnly());
        float[] bWeights = (float[])net.B.Weights.Clone();

        var losses = net.TrainOnA(X, TargetA);

        Assert.Equal(0.6102931363, losses.A!.Value, Tolerance);
        AssertClose(TrunkWeightsAfterA, net.T.Weights);
        AssertClose(HeadAWeightsAfterA, net.A.Weights);
        Assert.Equal(bWeights, net.B.Weights);
        Assert.Null(net.B.WeightParameter.OptimizerState);
        Assert.Equal(["TrainOnA"], net.TrainingMethods.Select(m => m.Name));
        Assert.Null(typeof(NetSOutputOnly).GetMethod("TrainOnB"));
        Assert.Null(typeof(NetSOutputOnly).GetMethod("TrainOnAAndB"));
        Assert.Equal(4, net.Predict(X).B.Length);
        Assert.Equal(net.PredictB(X), net.Predict(X).B);
    }

    // ---- Freezing -----------------------------------------------------------------------------------

    [Fact]
    public void RuntimeFreeze_TakesEffectOnNextCall()
    {
        NetS net = NetSFixture.Create();

        net.TrainOnA(X, TargetA);
        AssertClose(TrunkWeightsAfterA, net.T.Weights);
        float[] trunkAfterFirst = (float[])net.T.Weights.Clone();
        long steps = net.T.WeightParameter.OptimizerState!.StepCount;

        net.T.Trainable = false;
        net.TrainOnA(X, TargetA);
        Assert.Equal(trunkAfterFirst, net.T.Weights);
        Assert.Equal(steps, net.T.WeightParameter.OptimizerState.StepCount);

        net.T.Trainable = true;
        net.TrainOnA(X, TargetA);
        Assert.NotEqual(trunkAfterFirst, net.T.Weights);
    }

    [Fact]
    public void FrozenLayer_StillPassesGradientsToLayersBelow()
    {
        // Freeze the head: the trunk below it must still learn from head A's loss, exactly as without freezing.
        NetS frozenHead = NetSFixture.Create();
        frozenHead.A.Trainable = false;
        frozenHead.TrainOnA(X, TargetA);

        AssertClose(TrunkWeightsAfterA, frozenHead.T.Weights);
        Assert.Equal([0.5f, -0.5f], frozenHead.A.Weights);
        Assert.Null(frozenHead.A.WeightParameter.OptimizerState);
    }

    [Fact]
    public void AllReachedLayersFrozen_ThrowsAndChangesNothing()
    {
        NetS net = NetSFixture.Create();
        net.T.Trainable = false;
        net.A.Trainable = false;
        float[][] before = net.GetWeights();

        var error = Assert.Throws<InvalidOperationException>(() => net.TrainOnA(X, TargetA));

        Assert.Contains("TrainOnA", error.Message, StringComparison.Ordinal);
        Assert.Contains("T and A", error.Message, StringComparison.Ordinal);
        AssertSame(before, net.GetWeights());
        net.TrainOnB(X, TargetB);
        Assert.NotEqual(before[4], net.B.Weights);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void FreezeSwitches_HonourTheirArgument(bool declaredFrozen, bool runtimeFrozen)
    {
        IModel model = declaredFrozen ? Prepare(new NetSFrozen()) : Prepare(new NetS());
        DenseLayer trunk = (DenseLayer)model.Layers.Single(l => l.Name == "T");
        Assert.Equal(!declaredFrozen, trunk.Trainable);

        trunk.Trainable = !runtimeFrozen;
        Assert.Equal(!runtimeFrozen, trunk.Trainable);
        float[] before = (float[])trunk.Weights.Clone();
        if (model is NetS net)
        {
            net.TrainOnAAndB(X, TargetA, TargetB);
        }
        else
        {
            ((NetSFrozen)model).TrainOnAAndB(X, TargetA, TargetB);
        }

        Assert.Equal(runtimeFrozen, before.AsSpan().SequenceEqual(trunk.Weights));
    }

    [Fact]
    public void DeclaredFrozenLayer_StaysFrozenUnderAdamW()
    {
        // Decoupled weight decay would shrink frozen weights if they were passed to the optimizer.
        NetSFrozen net = Prepare(new NetSFrozen());
        net.Optimizer = new Adam(learningRate: 0.01f);
        float[] trunk = (float[])net.T.Weights.Clone();
        float[] b = (float[])net.B.Weights.Clone();
        for (int step = 0; step < 3; step++)
        {
            net.TrainOnA(X, TargetA);
        }

        Assert.Equal(trunk, net.T.Weights);
        Assert.Equal(b, net.B.Weights);
        Assert.Null(net.T.WeightParameter.OptimizerState);
        Assert.Null(net.B.WeightParameter.OptimizerState);
        Assert.Equal(3, net.A.WeightParameter.OptimizerState!.StepCount);
    }

    // ---- Stop-gradient edges --------------------------------------------------------------------

    [Fact]
    public void StopGradient_TrainOnBLeavesTrunkUntouched()
    {
        NetSStopped net = Prepare(new NetSStopped());
        float[] trunk = (float[])net.T.Weights.Clone();

        net.TrainOnB(X, TargetB);

        Assert.Equal(trunk, net.T.Weights);
        Assert.Null(net.T.WeightParameter.OptimizerState);
        AssertClose(HeadBWeightsAfterB, net.B.Weights);
        Assert.Equal(["B"], net.TrainingMethods.Single(m => m.Name == "TrainOnB").Layers);
    }

    [Fact]
    public void StopGradient_TrunkLearnsFromAOnly()
    {
        NetSStopped net = Prepare(new NetSStopped());

        net.TrainOnAAndB(X, TargetA, TargetB);

        AssertClose(TrunkWeightsAfterA, net.T.Weights);
        AssertClose(TrunkBiasAfterA, net.T.Bias);
        AssertClose(HeadAWeightsAfterA, net.A.Weights);
        AssertClose(HeadBWeightsAfterB, net.B.Weights);
    }

    [Fact]
    public void HeadOnHead_OpenEdgeTrainsInner()
    {
        var random = new Random(2);
        float[] x = Enumerable.Range(0, 12).Select(_ => (float)random.NextDouble()).ToArray();
        float[] outer = [0.5f, -0.5f, 1f, 0f];
        var net = new StackedHeadsNet { Optimizer = new Sgd(0.1f) };
        float[] inner = (float[])net.Inner.Weights.Clone();
        float[] trunk = (float[])net.Trunk.Weights.Clone();

        // Probe reads Inner through a stopped edge: only Probe changes.
        net.TrainOnProbe(x, outer);
        Assert.Equal(inner, net.Inner.Weights);
        Assert.Equal(trunk, net.Trunk.Weights);

        // Outer reads Inner through an open edge: Inner and the trunk learn from Outer's loss.
        net.TrainOnOuter(x, outer);
        Assert.NotEqual(inner, net.Inner.Weights);
        Assert.NotEqual(trunk, net.Trunk.Weights);
        Assert.Equal(["Trunk", "Inner", "Outer"], net.TrainingMethods.Single(m => m.Name == "TrainOnOuter").Layers);
    }

    // ---- Head weights ---------------------------------------------------------------------------

    [Fact]
    public void HeadWeightZero_ChangesNothingBitForBit()
    {
        NetS net = NetSFixture.Create();
        net.Optimizer = new Adam(learningRate: 0.01f);
        net.TrainOnAAndB(X, TargetA, TargetB);
        var before = Snapshot(net);

        net.B.Head!.Weight = 0f;
        var losses = net.TrainOnB(X, TargetB);

        Assert.Equal(0f, losses.Total);
        Assert.True(losses.B > 0f);
        AssertSnapshot(before, net);
    }

    [Fact]
    public void HeadWeight_ScalesItsGradient()
    {
        NetS half = NetSFixture.Create();
        half.A.Head!.Weight = 0.5f;
        half.Optimizer = new Sgd(0.2f);
        half.TrainOnA(X, TargetA);

        // Weight 0.5 at learning rate 0.2 is the same step as weight 1 at learning rate 0.1.
        AssertClose(TrunkWeightsAfterA, half.T.Weights);
        AssertClose(HeadAWeightsAfterA, half.A.Weights);
        Assert.Throws<ArgumentOutOfRangeException>(() => half.A.Head!.Weight = -1f);
        Assert.Throws<ArgumentOutOfRangeException>(() => half.A.Head!.Weight = float.NaN);
    }

    // ---- Per-sample weights ---------------------------------------------------------------------

    [Fact]
    public void WrongLengthSampleWeights_AreRejected()
    {
        NetS net = NetSFixture.Create();
        float[][] before = net.GetWeights();

        var error = Assert.Throws<ArgumentException>(() => net.TrainOnAAndB(X, TargetA, TargetB, [1, 1, 1, 1], [1, 1, 1]));

        Assert.Equal("bSampleWeights", error.ParamName);
        Assert.Contains("head 'B'", error.Message, StringComparison.Ordinal);
        Assert.Contains("hold 3 values", error.Message, StringComparison.Ordinal);
        Assert.Contains("4 weights", error.Message, StringComparison.Ordinal);
        AssertSame(before, net.GetWeights());
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void InvalidSampleWeight_IsRejected(float weight)
    {
        NetS net = NetSFixture.Create();
        float[][] before = net.GetWeights();

        var error = Assert.Throws<ArgumentException>(() => net.TrainOnB(X, TargetB, [1, weight, 1, 1]));

        Assert.Equal("bSampleWeights", error.ParamName);
        Assert.Contains("index 1", error.Message, StringComparison.Ordinal);
        AssertSame(before, net.GetWeights());
    }

    [Fact]
    public void AllOnesWeights_MatchNoWeights()
    {
        NetS plain = NetSFixture.Create();
        NetS weighted = NetSFixture.Create();
        for (int step = 0; step < 3; step++)
        {
            var a = plain.TrainOnAAndB(X, TargetA, TargetB);
            var b = weighted.TrainOnAAndB(X, TargetA, TargetB, [1, 1, 1, 1], [1, 1, 1, 1]);
            Assert.Equal(a.Total, b.Total);
        }

        AssertSame(plain.GetWeights(), weighted.GetWeights());
    }

    [Fact]
    public void ZeroWeight_IgnoresNaNTarget()
    {
        NetS masked = NetSFixture.Create();
        NetS unmasked = NetSFixture.Create();
        float[] targetWithNaN = [1, 0, float.NaN, 0.5f];

        var maskedLosses = masked.TrainOnB(X, targetWithNaN, [1, 1, 0, 1]);
        var fullLosses = unmasked.TrainOnB(X, TargetB);

        Assert.True(float.IsFinite(maskedLosses.B!.Value));
        Assert.NotEqual(fullLosses.B, maskedLosses.B);
        Assert.NotEqual(unmasked.B.Weights, masked.B.Weights);

        // The same as training on the three labelled samples alone.
        NetS subset = NetSFixture.Create();
        var subsetLosses = subset.TrainOnB([1, 0, 0, 1, -1, 2], [1, 0, 0.5f]);
        Assert.Equal(subsetLosses.B!.Value, maskedLosses.B.Value, 1e-6f);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(subset.B.Weights[i], masked.B.Weights[i], 1e-6f);
        }
    }

    [Fact]
    public void NaNTargetWithPositiveWeight_IsRejected()
    {
        NetS net = NetSFixture.Create();
        var error = Assert.Throws<ArgumentException>(() => net.TrainOnB(X, [1, 0, float.NaN, 0.5f], [1, 1, 0.5f, 1]));
        Assert.Equal("b", error.ParamName);
        Assert.Contains("index 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("weight 0.5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnlabelledBatch_ChangesNothing()
    {
        NetS net = NetSFixture.Create();
        net.Optimizer = new Adam();
        net.TrainOnAAndB(X, TargetA, TargetB);
        var before = Snapshot(net);

        float[] nan = [float.NaN, float.NaN, float.NaN, float.NaN];
        var losses = net.TrainOnAAndB(X, nan, nan, [0, 0, 0, 0], [0, 0, 0, 0]);

        Assert.Equal(0f, losses.A);
        Assert.Equal(0f, losses.B);
        AssertSnapshot(before, net);
    }

    [Fact]
    public void PerSampleRouting_TrainsOwnHead()
    {
        // Samples 0 and 1 belong to head A, samples 2 and 3 to head B: A's weights learn from its two samples
        // only, exactly as a TrainOnA call on those two samples would make them.
        NetS routed = NetSFixture.Create();
        NetS aOnly = NetSFixture.Create();
        routed.TrainOnAAndB(X, TargetA, TargetB, [1, 1, 0, 0], [0, 0, 1, 1]);
        aOnly.TrainOnA(X.AsSpan(0, 4), TargetA.AsSpan(0, 2));

        // A's own parameters see only A's samples, so its first step matches; the trunk also learns from B.
        float[] expected = aOnly.A.Weights;
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(expected[i], routed.A.Weights[i], 1e-6f);
        }

        Assert.NotEqual(aOnly.T.Weights, routed.T.Weights);
    }

    [Fact]
    public void ClassWeights_NormaliseBySumOfWeights()
    {
        var net = new NetSC { Optimizer = new Sgd(0f) };
        net.SetWeights([
            [0.1f, -0.2f, 0.3f, 0.4f], [0f, 0f],
            [0.2f, -0.1f, -0.3f, 0.4f], [0f, 0f],
            [-0.3f, 0.2f], [0.1f],
        ]);
        int[] labels = [0, 1, 1, 0];

        // Class weights {0: 1, 1: 3} become the sample weights [1, 3, 3, 1].
        var unweighted = net.TrainOnCAndB(X, labels, TargetB);
        float[] bGradient = (float[])net.B.WeightParameter.Gradient.Clone();
        var weighted = net.TrainOnCAndB(X, labels, TargetB, [1, 3, 3, 1], [1, 1, 1, 1]);

        Assert.Equal(0.6961538997, unweighted.C!.Value, Tolerance);
        Assert.Equal(0.6210130415, weighted.C!.Value, Tolerance);
        Assert.Equal(unweighted.B, weighted.B);
        Assert.Equal(bGradient, net.B.WeightParameter.Gradient);
    }

    // ---- Newer layers, activations and losses --------------------------------------------------

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ExtraActivationsAndLosses_MatchFiniteDifferences(bool weighted)
    {
        var net = new ExtraHeadsNet { Optimizer = new Sgd(0f) };
        var random = new Random(weighted ? 5 : 4);
        const int batch = 5;
        float[] x = Enumerable.Range(0, batch * 3).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] robust = Enumerable.Range(0, batch * 2).Select(_ => (float)(random.NextDouble() * 3 - 1.5)).ToArray();
        float[] positive = Enumerable.Range(0, batch * 2).Select(_ => (float)random.NextDouble() * 2).ToArray();
        float[] onehot = Enumerable.Range(0, batch * 3).Select(i => i % 3 == i / 3 % 3 ? 1f : 0f).ToArray();
        float[] soft = Enumerable.Range(0, batch * 3).Select(_ => 1f / 3).ToArray();
        float[] w1 = [1, 0, 2, 0.5f, 1], w2 = [0, 1, 1, 1, 3], w3 = [1, 1, 1, 1, 1], w4 = [2, 2, 0, 0, 1];
        foreach (Parameter parameter in net.Parameters)
        {
            Array.Clear(parameter.Gradient);
        }

        float total = weighted
            ? net.TrainOnRobustAndPositiveAndOnehotAndLogits(x, robust, positive, onehot, soft, w1, w2, w3, w4).Total
            : net.TrainOnRobustAndPositiveAndOnehotAndLogits(x, robust, positive, onehot, soft).Total;

        var inputs = new Dictionary<string, float[]> { ["X"] = x };
        var targets = new Dictionary<string, Array> { ["Robust"] = robust, ["Positive"] = positive, ["Onehot"] = onehot, ["Logits"] = soft };
        var sampleWeights = weighted
            ? new Dictionary<string, float[]> { ["Robust"] = w1, ["Positive"] = w2, ["Onehot"] = w3, ["Logits"] = w4 }
            : new Dictionary<string, float[]>();
        var reference = new ReferenceNetwork(net);
        Assert.Equal(reference.Loss(inputs, targets, sampleWeights), total, 1e-5);
        foreach (Parameter parameter in net.Parameters)
        {
            for (int k = 0; k < parameter.Length; k++)
            {
                double expected = reference.FiniteDifference(parameter, k, inputs, targets, sampleWeights);
                Assert.True(
                    Math.Abs(parameter.Gradient[k] - expected) <= (1e-3 * Math.Abs(expected)) + 2e-5,
                    $"{parameter.Name}[{k}]: gradient {parameter.Gradient[k]:R}, finite difference {expected:R}.");
            }
        }
    }

    [Fact]
    public void Dropout_IsReproducibleAndOffInPredict()
    {
        var random = new Random(1);
        float[] x = Enumerable.Range(0, 8 * 4).Select(_ => (float)random.NextDouble()).ToArray();
        float[] y = Enumerable.Range(0, 8).Select(i => (float)i / 8).ToArray();
        var first = new DropoutNet();
        var second = new DropoutNet();

        float[] prediction = first.PredictY(x);
        Assert.Equal(prediction, first.PredictY(x));
        for (int step = 0; step < 5; step++)
        {
            Assert.Equal(first.TrainOnY(x, y).Total, second.TrainOnY(x, y).Total);
        }

        AssertSame(first.GetWeights(), second.GetWeights());
        Assert.Equal(5, first.Drop.CompletedCalls);
    }

    [Fact]
    public void DropoutMask_MatchesRate()
    {
        var layer = new DropoutLayer("Drop", new InputLayer("X", 1), rate: 0.25, seed: 3);
        float[] mask = new float[10_000];
        layer.FillMask(mask);
        double dropped = mask.Count(m => m == 0f) / (double)mask.Length;
        Assert.InRange(dropped, 0.23, 0.27);
        Assert.All(mask.Where(m => m != 0f), m => Assert.Equal(1f / 0.75f, m));

        float[] again = new float[10_000];
        layer.FillMask(again);
        Assert.Equal(mask, again);
        layer.CompleteCall();
        layer.FillMask(again);
        Assert.NotEqual(mask, again);
    }

    [Fact]
    public void RejectedCall_DoesNotAdvanceDropout()
    {
        var net = new DropoutNet();
        Assert.Throws<ArgumentException>(() => net.TrainOnY(new float[8], new float[3]));
        Assert.Equal(0, net.Drop.CompletedCalls);
    }

    [Fact]
    public void Describe_ListsLayersParametersAndMethods()
    {
        NetSStopped net = Prepare(new NetSStopped());
        net.T.Trainable = false;

        string summary = net.Describe();

        Assert.Contains("Model NetSStopped", summary, StringComparison.Ordinal);
        Assert.Contains("frozen", summary, StringComparison.Ordinal);
        Assert.Contains("Parameters: 12 (6 trainable, 6 frozen)", summary, StringComparison.Ordinal);
        Assert.Contains("TrainOnB", summary, StringComparison.Ordinal);
        Assert.Matches(@"TrainOnB\s+updates B\b", summary);
        Assert.Matches(@"TrainOnA\s+updates T, A\b", summary);
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], Tolerance);
        }
    }

    private static void AssertSame(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    private static (float[] Values, long Steps, float[] Buffers)[] Snapshot(IModel model) =>
        model.Parameters.Select(p => ((float[])p.Value.Clone(), p.OptimizerState?.StepCount ?? 0, p.OptimizerState?.Buffers.SelectMany(b => b).ToArray() ?? [])).ToArray();

    private static void AssertSnapshot((float[] Values, long Steps, float[] Buffers)[] before, IModel model)
    {
        var after = Snapshot(model);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i].Values, after[i].Values);
            Assert.Equal(before[i].Steps, after[i].Steps);
            Assert.Equal(before[i].Buffers, after[i].Buffers);
        }
    }
}
