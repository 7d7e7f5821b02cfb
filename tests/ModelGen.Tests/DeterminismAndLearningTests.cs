using System;
using System.Linq;
using ModelGen.Optimizers;
using ModelGen.Tests.Models;
using Xunit;

namespace ModelGen.Tests;

public class DeterminismTests
{
    [Fact]
    public void SameSeed_GivesBitIdenticalWeights()
    {
        float[][] first = new TwoHeadNet(123).GetWeights();
        float[][] second = new TwoHeadNet(123).GetWeights();
        for (int i = 0; i < first.Length; i++)
        {
            Assert.Equal(first[i], second[i]);
        }
    }

    [Fact]
    public void DifferentSeeds_GiveDifferentWeights()
    {
        Assert.NotEqual(new TwoHeadNet(1).Hidden.Weights, new TwoHeadNet(2).Hidden.Weights);
    }

    [Fact]
    public void ParameterlessConstructor_UsesModelSeed()
    {
        Assert.Equal(new TwoHeadNet(42).Hidden.Weights, new TwoHeadNet().Hidden.Weights);
    }

    [Fact]
    public void Initialization_IsGlorotUniformWithZeroBias()
    {
        var net = new TwoHeadNet();
        float limit = MathF.Sqrt(6f / (32 + 32));
        Assert.All(net.Hidden.Weights, w => Assert.InRange(w, -limit, limit));
        Assert.All(net.Hidden.Bias, b => Assert.Equal(0f, b));

        // Mean near 0 and variance near limit²/3 for 1024 draws from U(-limit, limit).
        double mean = net.Hidden.Weights.Average(w => (double)w);
        double variance = net.Hidden.Weights.Average(w => (w - mean) * (w - mean));
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(variance, limit * limit / 3 * 0.85, limit * limit / 3 * 1.15);
    }

    [Fact]
    public void Initialization_IsPinnedAcrossRuntimes()
    {
        // The stream is SplitMix64 seeded from the model seed and the layer name, so these values are the same
        // on every machine and .NET version; a change here changes every user's initial weights.
        var net = new TwoHeadNet(42);
        int[] bits = net.Hidden.Weights.Take(3).Select(BitConverter.SingleToInt32Bits).ToArray();
        Assert.Equal(ExpectedBits, bits);
    }

    [Fact]
    public void Training_IsDeterministic()
    {
        (float[] x, float[] y1, float[] y2) = BranchIsolationTests.Data(seed: 9);
        var first = new TwoHeadNet();
        var second = new TwoHeadNet();
        for (int step = 0; step < 20; step++)
        {
            Assert.Equal(first.TrainOnOutput1AndOutput2(x, y1, y2).Total, second.TrainOnOutput1AndOutput2(x, y1, y2).Total);
        }

        float[][] a = first.GetWeights(), b = second.GetWeights();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], b[i]);
        }
    }

    private static readonly int[] ExpectedBits = [1040597342, 1044365543, -1103921288];
}

public class LearningTests
{
    [Fact]
    public void Xor_IsLearned()
    {
        var net = new XorNet { Optimizer = new Adam(learningRate: 0.05f) };
        float[] x = [0, 0, 0, 1, 1, 0, 1, 1];
        float[] y = [0, 1, 1, 0];
        for (int epoch = 0; epoch < 1500; epoch++)
        {
            net.TrainOnY(x, y);
        }

        float[] p = net.PredictY(x);
        int correct = Enumerable.Range(0, 4).Count(i => (p[i] > 0.5f) == (y[i] > 0.5f));
        Assert.True(correct == 4, $"XOR predictions {string.Join(", ", p)}");
    }

    [Fact]
    public void LinearRegression_RecoversCoefficients()
    {
        var net = new LinearNet { Optimizer = new Sgd(0.1f) };
        var random = new Random(4);
        const int samples = 64;
        float[] x = Enumerable.Range(0, samples * 3).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] y = Enumerable.Range(0, samples).Select(b => (2f * x[b * 3]) - (3f * x[(b * 3) + 1]) + (0.5f * x[(b * 3) + 2]) + 1f).ToArray();
        for (int step = 0; step < 2000; step++)
        {
            net.TrainOnY(x, y);
        }

        Assert.Equal(2f, net.Y.Weights[0], 1e-3f);
        Assert.Equal(-3f, net.Y.Weights[1], 1e-3f);
        Assert.Equal(0.5f, net.Y.Weights[2], 1e-3f);
        Assert.Equal(1f, net.Y.Bias[0], 1e-3f);
    }
}
