using System;
using ModelGen.Tests.Models;
using Xunit;

namespace ModelGen.Tests;

/// <summary>Exact multi-head cases with reference values computed in double precision.</summary>
public class FieldCaseTests
{
    private const double Tolerance = NetSFixture.Tolerance;

    [Fact]
    public void InitialLosses_MatchReference()
    {
        NetS net = NetSFixture.Create();
        var optimizer = new Optimizers.Sgd(0f);
        net.Optimizer = optimizer;

        var losses = net.TrainOnAAndB(NetSFixture.X, NetSFixture.TargetA, NetSFixture.TargetB);

        Assert.Equal(0.6102931363, losses.A!.Value, Tolerance);
        Assert.Equal(0.6020123594, losses.B!.Value, Tolerance);
        Assert.Equal(0.6102931363 + 0.6020123594, losses.Total, Tolerance);
    }

    [Fact]
    public void TrainOnB_MatchesReference()
    {
        NetS net = NetSFixture.Create();
        float[] aWeights = (float[])net.A.Weights.Clone();
        float[] aBias = (float[])net.A.Bias.Clone();

        var losses = net.TrainOnB(NetSFixture.X, NetSFixture.TargetB);

        Assert.Null(losses.A);
        Assert.Equal(0.6020123594, losses.B!.Value, Tolerance);
        Assert.Equal(aWeights, net.A.Weights);
        Assert.Equal(aBias, net.A.Bias);
        Assert.Null(net.A.WeightParameter.OptimizerState);
        Assert.Null(net.A.BiasParameter.OptimizerState);
        AssertClose([0.1076235017, -0.1820200769, 0.2987088869, 0.3927056316], net.T.Weights);
        AssertClose([0.0070281879, -0.0006463240], net.T.Bias);
        AssertClose([-0.2910055526, 0.1743348729], net.B.Weights);
        AssertClose([0.0777301477], net.B.Bias);

        // The loss of B after the step, measured without changing anything.
        net.Optimizer = new Optimizers.Sgd(0f);
        Assert.Equal(0.5868903030, net.TrainOnB(NetSFixture.X, NetSFixture.TargetB).B!.Value, Tolerance);
    }

    [Fact]
    public void TrainOnA_MatchesReference()
    {
        NetS net = NetSFixture.Create();
        float[] bWeights = (float[])net.B.Weights.Clone();
        float[] bBias = (float[])net.B.Bias.Clone();

        net.TrainOnA(NetSFixture.X, NetSFixture.TargetA);

        Assert.Equal(bWeights, net.B.Weights);
        Assert.Equal(bBias, net.B.Bias);
        AssertClose([0.1391264982, -0.1534413863, 0.2739998174, 0.3648946902], net.T.Weights);
        AssertClose([0.0522204285, -0.0396510104], net.T.Bias);
        AssertClose([0.4876396057, -0.4438029368], net.A.Weights);
        AssertClose([0.1099309747], net.A.Bias);
    }

    [Fact]
    public void TargetOfWrongWidth_NamesHeadAndShapes()
    {
        NetS net = NetSFixture.Create();
        float[][] before = net.GetWeights();

        var error = Assert.Throws<ArgumentException>(() =>
            net.TrainOnAAndB(NetSFixture.X, NetSFixture.TargetA, new float[8]));

        Assert.Equal("b", error.ParamName);
        Assert.Contains("'B'", error.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 2]", error.Message, StringComparison.Ordinal);
        AssertUnchanged(before, net);
    }

    [Fact]
    public void TargetMissingRow_IsRejected()
    {
        NetS net = NetSFixture.Create();
        float[][] before = net.GetWeights();

        var error = Assert.Throws<ArgumentException>(() =>
            net.TrainOnAAndB(NetSFixture.X, NetSFixture.TargetA, [1, 0, -1]));

        Assert.Equal("b", error.ParamName);
        Assert.Contains("'B'", error.Message, StringComparison.Ordinal);
        Assert.Contains("4 samples", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 rows", error.Message, StringComparison.Ordinal);
        AssertUnchanged(before, net);
    }

    [Fact]
    public void NaNTargetWithoutWeights_NamesHeadAndIndex()
    {
        NetS net = NetSFixture.Create();
        float[][] before = net.GetWeights();
        float[] targetB = (float[])NetSFixture.TargetB.Clone();
        targetB[2] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => net.TrainOnAAndB(NetSFixture.X, NetSFixture.TargetA, targetB));

        Assert.Equal("b", error.ParamName);
        Assert.Contains("head 'B'", error.Message, StringComparison.Ordinal);
        Assert.Contains("NaN at index 2", error.Message, StringComparison.Ordinal);
        AssertUnchanged(before, net);
    }

    [Fact]
    public void SeparateInstances_ShareNoState()
    {
        NetS first = NetSFixture.Create();
        NetS second = NetSFixture.Create();
        float[][] secondBefore = second.GetWeights();
        Assert.Equal(0.1283621241, first.PredictB([1, 0])[0], Tolerance);

        first.TrainOnA(NetSFixture.X, NetSFixture.TargetA);

        Assert.Equal(0.0893165833, first.PredictB([1, 0])[0], Tolerance);
        Assert.Equal(0.1283621241, second.PredictB([1, 0])[0], Tolerance);
        AssertUnchanged(secondBefore, second);
        foreach (Parameter parameter in second.Parameters)
        {
            Assert.Null(parameter.OptimizerState);
        }
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], Tolerance);
        }
    }

    private static void AssertUnchanged(float[][] before, NetS model)
    {
        float[][] after = model.GetWeights();
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i], after[i]);
        }

        foreach (Parameter parameter in model.Parameters)
        {
            Assert.Null(parameter.OptimizerState);
        }
    }
}
