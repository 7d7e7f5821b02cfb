using System;
using System.IO;
using System.Linq;
using ModelGen.Optimizers;
using ModelGen.Tests.Models;
using Xunit;

namespace ModelGen.Tests;

/// <summary>
/// Every rejected call throws before anything changes: weights, biases, step counts and moments are compared
/// bit for bit with their state before the call.
/// </summary>
public class BadInputTests
{
    private readonly TwoHeadNet _net = new();
    private readonly float[] _x;
    private readonly float[] _y1;
    private readonly float[] _y2;

    public BadInputTests()
    {
        (_x, _y1, _y2) = BranchIsolationTests.Data(seed: 11);

        // One real step first, so that there is optimizer state to protect.
        _net.TrainOnOutput1AndOutput2(_x, _y1, _y2);
    }

    [Fact]
    public void PartialSample_IsRejected()
    {
        var error = Rejects<ArgumentException>(() => _net.TrainOnOutput2(_x.AsSpan(0, 40), _y2.AsSpan(0, 1)));
        Assert.Equal("x", error.ParamName);
        Assert.Contains("Input 'X' has 40 values", error.Message, StringComparison.Ordinal);
        Assert.Contains("32", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1e38f)]
    [InlineData(1e-42f)]
    public void WeightsFarFromOne_AreRejected(float weight)
    {
        // 1e38 overflows the sum in single precision; 1e-42 makes the loss's division by it overflow.
        int batch = _y2.Length;
        float[] weights = Enumerable.Repeat(weight, batch).ToArray();
        var error = Rejects<ArgumentException>(() => _net.TrainOnOutput2(_x, _y2, weights));
        Assert.Equal("output2SampleWeights", error.ParamName);
        Assert.Contains("Scale every weight by the same factor towards 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyInput_IsRejected()
    {
        var error = Rejects<ArgumentException>(() => _net.TrainOnOutput1([], []));
        Assert.Equal("x", error.ParamName);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaNInInput_NamesSampleAndFeature()
    {
        float[] x = (float[])_x.Clone();
        x[70] = float.NaN;
        var error = Rejects<ArgumentException>(() => _net.TrainOnOutput1AndOutput2(x, _y1, _y2));
        Assert.Equal("x", error.ParamName);
        Assert.Contains("NaN at index 70 (sample 2, feature 6)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InfinityInTarget_NamesHeadAndIndex()
    {
        float[] y2 = (float[])_y2.Clone();
        y2[2] = float.PositiveInfinity;
        var error = Rejects<ArgumentException>(() => _net.TrainOnOutput1AndOutput2(_x, _y1, y2));
        Assert.Equal("output2", error.ParamName);
        Assert.Contains("head 'Output2'", error.Message, StringComparison.Ordinal);
        Assert.Contains("at index 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetOfOtherBatch_IsRejected()
    {
        var error = Rejects<ArgumentException>(() => _net.TrainOnOutput1(_x, _y1.AsSpan(0, 15)));
        Assert.Equal("output1", error.ParamName);
        Assert.Contains("16 samples", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OverflowingLoss_IsRejectedBeforeUpdate()
    {
        Array.Fill(_net.Output1.Weights, 1e30f);
        var error = Rejects<ArgumentException>(() => _net.TrainOnOutput1AndOutput2(_x, _y1, _y2));
        Assert.Equal("output1", error.ParamName);
        Assert.Contains("Loss of head 'Output1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no parameter was changed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonFiniteGradient_StopsTheWholeStep()
    {
        var optimizer = new Sgd(0.1f);
        var first = new Parameter("First.weight", 2);
        var second = new Parameter("Second.weight", 2);
        first.Gradient[0] = 1f;
        second.Gradient[1] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => optimizer.Step(first, second));

        Assert.Contains("'Second.weight'", error.Message, StringComparison.Ordinal);
        Assert.Equal([0f, 0f], first.Value);
        Assert.Null(first.OptimizerState);
    }

    [Fact]
    public void LabelOutOfRange_NamesHeadAndIndex()
    {
        var net = new DiamondNet();
        float[][] before = net.GetWeights();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainOnCls(new float[6], new float[4], [0, 3]));
        Assert.Equal("cls", error.ParamName);
        Assert.Contains("head 'Cls' at index 1 is 3; classes are 0 to 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(before.SelectMany(w => w), net.GetWeights().SelectMany(w => w));
    }

    [Fact]
    public void NegativeLabel_IsRejected()
    {
        var net = new DiamondNet();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainOnCls(new float[3], new float[2], [-1]));
        Assert.Contains("index 0 is -1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InputsOfDifferentBatches_AreRejected()
    {
        var net = new DiamondNet();
        var error = Assert.Throws<ArgumentException>(() => net.TrainOnReg(new float[6], new float[6], new float[4]));
        Assert.Equal("x2", error.ParamName);
        Assert.Contains("Input 'X2' has 6 values, but 'x1' holds 2 samples", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PredictIntoShortBuffer_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => _net.Predict(_x, new float[16], new float[15]));
        Assert.Equal("output2", error.ParamName);
        Assert.Contains("head 'Output2'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetWeightsOfWrongShape_ChangesNothing()
    {
        float[][] weights = _net.GetWeights();
        weights[0] = new float[weights[0].Length];
        weights[2] = new float[5];
        var error = Rejects<ArgumentException>(() => _net.SetWeights(weights));
        Assert.Contains("'Output1.weight', shape [1, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetWeightsWithNaN_ChangesNothing()
    {
        float[][] weights = _net.GetWeights();
        weights[1][3] = float.NaN;
        var error = Rejects<ArgumentException>(() => _net.SetWeights(weights));
        Assert.Contains("'Hidden.bias'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CrossEntropyTargetAboveOne_IsRejected()
    {
        var net = new XorNet();
        float[][] before = net.GetWeights();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainOnY([0, 0, 1, 1], [0f, 2f]));

        Assert.Equal("y", error.ParamName);
        Assert.Contains("head 'Y' at index 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1]", error.Message, StringComparison.Ordinal);
        Assert.Equal(before.SelectMany(w => w), net.GetWeights().SelectMany(w => w));
        net.TrainOnY([0, 0, 1, 1], [0f, 2f], [1f, 0f]);
    }

    [Fact]
    public void EmptyTarget_SaysItIsEmptyOrNull()
    {
        var error = Rejects<ArgumentException>(() => _net.TrainOnOutput1AndOutput2(_x, _y1, Array.Empty<float>()));
        Assert.Equal("output2", error.ParamName);
        Assert.Contains("empty or null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SavingDivergedWeights_IsRejected()
    {
        _net.Output1.Weights[0] = float.NaN;
        string path = Path.Combine(Path.GetTempPath(), $"modelgen-{Guid.NewGuid():N}.safetensors");

        var error = Assert.Throws<InvalidOperationException>(() => _net.Save(path));

        Assert.Contains("'Output1.weight'", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void NullOptimizer_IsRejected()
    {
        Assert.Throws<ArgumentNullException>(() => _net.Optimizer = null!);
    }

    /// <summary>Asserts that <paramref name="call"/> throws and leaves the model exactly as it was.</summary>
    private TException Rejects<TException>(Action call)
        where TException : Exception
    {
        var before = _net.Parameters.Select(Copy).ToArray();
        var error = Assert.Throws<TException>(call);
        var after = _net.Parameters.Select(Copy).ToArray();
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i].Values, after[i].Values);
            Assert.Equal(before[i].Steps, after[i].Steps);
            Assert.Equal(before[i].Moments, after[i].Moments);
        }

        return error;
    }

    private static (float[] Values, long Steps, float[] Moments) Copy(Parameter parameter) =>
        ((float[])parameter.Value.Clone(), parameter.OptimizerState!.StepCount, parameter.OptimizerState.Buffers.SelectMany(b => b).ToArray());
}
