using System;
using System.Collections.Generic;
using System.Linq;
using ModelGen.Optimizers;
using ModelGen.Tests.Models;
using Xunit;

namespace ModelGen.Tests;

/// <summary>
/// Optimizer updates against references computed here in double precision from PyTorch's documented formulas,
/// independently of the implementation.
/// </summary>
public class OptimizerTests
{
    private const double Tolerance = 2e-6;
    private const int Steps = 5;

    private static readonly double[] Initial = [0.5, -1.25, 2.0, 0.0];

    /// <summary>A fixed gradient for step <paramref name="t"/> (1-based), different per element and step.</summary>
    private static double[] GradientAt(int t) =>
        Enumerable.Range(0, Initial.Length).Select(i => Math.Round(Math.Sin((1.3 * t) + i) * 0.8, 4)).ToArray();

    // A large epsilon in some cases makes its place (after the square root) visible in the result.
    public static TheoryData<float, bool, float, float> RmsPropCases() => new()
    {
        { 0f, false, 0f, 1e-8f },
        { 0f, false, 0f, 0.25f },
        { 0.9f, false, 0f, 1e-8f },
        { 0f, true, 0f, 1e-8f },
        { 0.5f, true, 0.1f, 0.25f },
        { 0f, false, 0.2f, 1e-8f },
    };

    [Theory]
    [MemberData(nameof(RmsPropCases))]
    public void RmsProp_MatchesReference(float momentum, bool centered, float weightDecay, float epsilon)
    {
        const double lr = 0.01, alpha = 0.9;
        double eps = epsilon;
        var optimizer = new RmsProp(0.01f, alpha: 0.9f, epsilon: epsilon, momentum: momentum, centered: centered, weightDecay: weightDecay);
        Parameter parameter = CreateParameter();

        double[] p = (double[])Initial.Clone();
        var v = new double[p.Length];
        var buf = new double[p.Length];
        var gAvg = new double[p.Length];
        for (int t = 1; t <= Steps; t++)
        {
            double[] g = GradientAt(t);
            RunStep(optimizer, parameter, g);
            for (int i = 0; i < p.Length; i++)
            {
                double gi = g[i] + (weightDecay * p[i]);
                v[i] = (alpha * v[i]) + ((1 - alpha) * gi * gi);
                double variance = v[i];
                if (centered)
                {
                    gAvg[i] = (alpha * gAvg[i]) + ((1 - alpha) * gi);
                    variance -= gAvg[i] * gAvg[i];
                }

                double denominator = Math.Sqrt(variance) + eps;
                if (momentum > 0)
                {
                    buf[i] = (momentum * buf[i]) + (gi / denominator);
                    p[i] -= lr * buf[i];
                }
                else
                {
                    p[i] -= lr * gi / denominator;
                }
            }

            AssertClose(p, parameter.Value, $"step {t}");
        }

        Assert.Equal(Steps, optimizer.GetState(parameter)!.StepCount);
    }

    [Fact]
    public void RmsProp_BufferNamesFollowOptions()
    {
        Assert.Equal(["square_avg"], new RmsProp().StateBufferNames);
        Assert.Equal(["square_avg", "momentum_buffer", "grad_avg"], new RmsProp(momentum: 0.9f, centered: true).StateBufferNames);
        Assert.Equal(["square_avg", "grad_avg"], new RmsProp(centered: true).StateBufferNames);
    }

    [Fact]
    public void RmsProp_RejectsInvalidHyperparameters()
    {
        Assert.Throws<ArgumentOutOfRangeException>("alpha", () => new RmsProp(alpha: 1f));
        Assert.Throws<ArgumentOutOfRangeException>("epsilon", () => new RmsProp(epsilon: 0f));
        Assert.Throws<ArgumentOutOfRangeException>("momentum", () => new RmsProp(momentum: -0.1f));
        Assert.Throws<ArgumentOutOfRangeException>("weightDecay", () => new RmsProp(weightDecay: float.NaN));
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0f)]
    public void AdamW_MatchesReference(float weightDecay)
    {
        const double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        var optimizer = new AdamW(0.05f, weightDecay);
        Parameter parameter = CreateParameter();

        double[] p = (double[])Initial.Clone();
        var m = new double[p.Length];
        var v = new double[p.Length];
        for (int t = 1; t <= Steps; t++)
        {
            double[] g = GradientAt(t);
            RunStep(optimizer, parameter, g);
            AdamWReference(p, g, m, v, t, lr, weightDecay, b1, b2, eps);
            AssertClose(p, parameter.Value, $"step {t}");
        }
    }

    [Fact]
    public void AdamW_DecaysWithZeroGradient()
    {
        // With g = 0 the Adam part is 0, so only the decoupled decay acts: p·(1 - lr·wd) per step.
        var optimizer = new AdamW(0.1f, 0.5f);
        Parameter parameter = CreateParameter();

        RunStep(optimizer, parameter, new double[Initial.Length]);
        RunStep(optimizer, parameter, new double[Initial.Length]);

        AssertClose(Initial.Select(p => p * 0.95 * 0.95).ToArray(), parameter.Value, "after two steps");
    }

    [Fact]
    public void ClipGradientNorm_ScalesByGlobalNormOfStepParameters()
    {
        var optimizer = new Sgd(1f) { ClipGradientNorm = 1f };
        var first = new Parameter("L.weight", 2);
        var second = new Parameter("L.bias", 1);
        var other = new Parameter("M.weight", 1);
        first.Gradient[0] = 3f;
        first.Gradient[1] = -4f;
        second.Gradient[0] = 12f;
        other.Gradient[0] = 1000f;

        optimizer.Step(first, second);

        // The norm covers only the parameters of this call: sqrt(9 + 16 + 144) = 13.
        double coefficient = 1.0 / (13.0 + 1e-6);
        AssertClose([-3 * coefficient, 4 * coefficient], first.Value, "first");
        AssertClose([-12 * coefficient], second.Value, "second");
        AssertClose([3 * coefficient, -4 * coefficient], first.Gradient, "clipped gradient");
        Assert.Equal(1000f, other.Gradient[0]);
        Assert.Equal(0f, other.Value[0]);
    }

    [Fact]
    public void ClipGradientNorm_LeavesSmallGradientsBitwise()
    {
        var optimizer = new Sgd(1f) { ClipGradientNorm = 10f };
        var parameter = new Parameter("L.weight", 2);
        parameter.Gradient[0] = 0.3f;
        parameter.Gradient[1] = -0.7f;

        optimizer.Step(parameter);

        Assert.Equal([0.3f, -0.7f], parameter.Gradient);
        Assert.Equal([-0.3f, 0.7f], parameter.Value);
    }

    [Fact]
    public void ClipGradientValue_ClampsEachElement()
    {
        var optimizer = new Sgd(1f) { ClipGradientValue = 0.5f };
        var parameter = new Parameter("L.weight", 3);
        parameter.Gradient[0] = 2f;
        parameter.Gradient[1] = -0.25f;
        parameter.Gradient[2] = -7f;

        optimizer.Step(parameter);

        Assert.Equal([-0.5f, 0.25f, 0.5f], parameter.Value);
    }

    [Fact]
    public void ClipGradientValue_AppliesAfterNorm()
    {
        // Norm 5 is clipped to 2.5 (factor ≈ 0.5), giving [1.5, -2]; the value limit 1.8 then clamps -2.
        var optimizer = new Sgd(1f) { ClipGradientNorm = 2.5f, ClipGradientValue = 1.8f };
        var parameter = new Parameter("L.weight", 2);
        parameter.Gradient[0] = 3f;
        parameter.Gradient[1] = -4f;

        optimizer.Step(parameter);

        double coefficient = 2.5 / (5 + 1e-6);
        AssertClose([-3 * coefficient, 1.8], parameter.Value, "values");
    }

    [Fact]
    public void Clipping_RunsAfterFinitenessCheck()
    {
        var optimizer = new Sgd(1f) { ClipGradientNorm = 1f, ClipGradientValue = 0.1f };
        var finite = new Parameter("L.weight", 2);
        var broken = new Parameter("L.bias", 1);
        finite.Gradient[0] = 3f;
        finite.Gradient[1] = 4f;
        broken.Gradient[0] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => optimizer.Step(finite, broken));

        Assert.Contains("L.bias", error.Message, StringComparison.Ordinal);
        Assert.Equal([3f, 4f], finite.Gradient);
        Assert.Equal([0f, 0f], finite.Value);
        Assert.Null(finite.OptimizerState);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NaN)]
    public void Clipping_RejectsInvalidLimits(float limit)
    {
        var optimizer = new Sgd(0.1f);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.ClipGradientNorm = limit);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.ClipGradientValue = limit);
        Assert.Null(optimizer.ClipGradientNorm);
        Assert.Null(optimizer.ClipGradientValue);
    }

    [Fact]
    public void SetState_ContinuesBitwiseLikeOriginal()
    {
        var original = new Adam(0.1f);
        Parameter trained = CreateParameter();
        RunStep(original, trained, GradientAt(1));
        RunStep(original, trained, GradientAt(2));

        var restored = new Adam(0.1f);
        Parameter copy = CreateParameter();
        trained.Value.CopyTo(copy.Value, 0);
        OptimizerState state = original.GetState(trained)!;
        restored.SetState(copy, state.StepCount, state.Buffers);

        RunStep(original, trained, GradientAt(3));
        RunStep(restored, copy, GradientAt(3));

        Assert.Equal(trained.Value, copy.Value);
        Assert.Equal(3, restored.GetState(copy)!.StepCount);
        Assert.Equal(original.GetState(trained)!.Buffers[1], restored.GetState(copy)!.Buffers[1]);
    }

    [Fact]
    public void SetState_CopiesBuffers()
    {
        var optimizer = new Sgd(0.1f, momentum: 0.9f);
        Parameter parameter = CreateParameter();
        float[] buffer = [1, 2, 3, 4];

        optimizer.SetState(parameter, 7, [buffer]);
        buffer[0] = 99;

        Assert.Equal(1f, optimizer.GetState(parameter)!.Buffers[0][0]);
        Assert.Equal(7, optimizer.GetState(parameter)!.StepCount);
    }

    [Fact]
    public void SetState_RejectsInvalidStateWithoutChange()
    {
        var optimizer = new Adam();
        Parameter parameter = CreateParameter();
        RunStep(optimizer, parameter, GradientAt(1));
        OptimizerState before = parameter.OptimizerState!;
        float[] good = new float[Initial.Length];

        Assert.Contains("Adam keeps 2", Message(() => optimizer.SetState(parameter, 1, [good])), StringComparison.Ordinal);
        Assert.Contains("4 are needed", Message(() => optimizer.SetState(parameter, 1, [good, new float[3]])), StringComparison.Ordinal);
        Assert.Contains("at least 1 step", Message(() => optimizer.SetState(parameter, 0, [good, good])), StringComparison.Ordinal);
        Assert.Contains("NaN", Message(() => optimizer.SetState(parameter, 1, [good, [0, float.NaN, 0, 0]])), StringComparison.Ordinal);
        Assert.Same(before, parameter.OptimizerState);
    }

    [Fact]
    public void GetState_IgnoresStateOfOtherOptimizer()
    {
        Parameter parameter = CreateParameter();
        RunStep(new Adam(), parameter, GradientAt(1));

        Assert.Null(new Adam().GetState(parameter));
    }

    [Fact]
    public void NetS_ClippedAdamWTrainOnA_LeavesBUntouched()
    {
        const double lr = 0.01, wd = 0.1, maxNorm = 0.05;
        NetS net = NetSFixture.Create();
        var optimizer = new AdamW(0.01f, 0.1f) { ClipGradientNorm = 0.05f };
        net.Optimizer = optimizer;
        float[] bWeights = (float[])net.B.Weights.Clone();
        float[] bBias = (float[])net.B.Bias.Clone();

        // A stale gradient on B: if the clipping norm counted it, every clipped gradient would be ~1000x smaller.
        net.B.WeightParameter.Gradient[0] = 1000f;
        net.B.WeightParameter.Gradient[1] = -1000f;
        net.B.BiasParameter.Gradient[0] = 1000f;

        var reference = new NetSReference();
        var m = reference.Parameters.Select(p => new double[p.Length]).ToArray();
        var v = reference.Parameters.Select(p => new double[p.Length]).ToArray();
        Parameter[] reached = [net.T.WeightParameter, net.T.BiasParameter, net.A.WeightParameter, net.A.BiasParameter];
        for (int t = 1; t <= 3; t++)
        {
            net.TrainOnA(NetSFixture.X, NetSFixture.TargetA);

            double[][] g = reference.GradientOfA();
            double norm = Math.Sqrt(g.Sum(tensor => tensor.Sum(x => x * x)));
            Assert.True(norm > maxNorm, $"The reference gradient norm {norm} must exceed the limit for the test to clip.");
            double coefficient = maxNorm / (norm + 1e-6);
            for (int k = 0; k < g.Length; k++)
            {
                double[] clipped = g[k].Select(x => x * coefficient).ToArray();
                AssertClose(clipped, reached[k].Gradient, $"clipped gradient of {reached[k].Name}, step {t}");
                AdamWReference(reference.Parameters[k], clipped, m[k], v[k], t, lr, wd, 0.9, 0.999, 1e-8);
                AssertClose(reference.Parameters[k], reached[k].Value, $"{reached[k].Name}, step {t}");
                Assert.Equal(t, optimizer.GetState(reached[k])!.StepCount);
            }
        }

        Assert.Equal(bWeights, net.B.Weights);
        Assert.Equal(bBias, net.B.Bias);
        Assert.Equal([1000f, -1000f], net.B.WeightParameter.Gradient);
        Assert.Equal([1000f], net.B.BiasParameter.Gradient);

        // No state means zero moments and a step count of 0: the first TrainOnB will be B's step 1.
        Assert.Null(net.B.WeightParameter.OptimizerState);
        Assert.Null(net.B.BiasParameter.OptimizerState);
    }

    [Fact]
    public void NetS_FrozenTrunkClipsHeadAOnly()
    {
        const double lr = 0.01, wd = 0.1, maxNorm = 0.05;
        NetS net = NetSFixture.Create();
        var optimizer = new AdamW(0.01f, 0.1f) { ClipGradientNorm = 0.05f };
        net.Optimizer = optimizer;
        net.T.Trainable = false;
        float[][] initial = net.GetWeights();

        // Stale gradients on T and B: if the clipping norm counted either, A's clipped gradient would be ~1000x smaller.
        Array.Fill(net.T.WeightParameter.Gradient, 1000f);
        Array.Fill(net.B.WeightParameter.Gradient, 1000f);

        var reference = new NetSReference();
        var m = new[] { new double[2], new double[1] };
        var v = new[] { new double[2], new double[1] };
        Parameter[] headA = [net.A.WeightParameter, net.A.BiasParameter];
        for (int t = 1; t <= 3; t++)
        {
            net.TrainOnA(NetSFixture.X, NetSFixture.TargetA);

            double[][] g = reference.GradientOfA();
            double norm = Math.Sqrt((g[2][0] * g[2][0]) + (g[2][1] * g[2][1]) + (g[3][0] * g[3][0]));
            Assert.True(norm > maxNorm, $"The reference gradient norm {norm} must exceed the limit for the test to clip.");
            double coefficient = maxNorm / (norm + 1e-6);
            for (int k = 0; k < 2; k++)
            {
                double[] clipped = g[k + 2].Select(x => x * coefficient).ToArray();
                AssertClose(clipped, headA[k].Gradient, $"clipped gradient of {headA[k].Name}, step {t}");
                AdamWReference(reference.Parameters[k + 2], clipped, m[k], v[k], t, lr, wd, 0.9, 0.999, 1e-8);
                AssertClose(reference.Parameters[k + 2], headA[k].Value, $"{headA[k].Name}, step {t}");
                Assert.Equal(t, optimizer.GetState(headA[k])!.StepCount);
            }
        }

        // T (frozen) and B (not reached) keep their initial bits, and neither has optimizer state: zero moments, step 0.
        float[][] final = net.GetWeights();
        foreach (int i in new[] { 0, 1, 4, 5 })
        {
            Assert.Equal(initial[i], final[i]);
            Assert.Null(net.Parameters[i].OptimizerState);
        }

        Assert.All(net.B.WeightParameter.Gradient, g => Assert.Equal(1000f, g));
    }

    private static void AdamWReference(double[] p, double[] g, double[] m, double[] v, int t, double lr, double wd, double b1, double b2, double eps)
    {
        for (int i = 0; i < p.Length; i++)
        {
            p[i] -= lr * wd * p[i];
            m[i] = (b1 * m[i]) + ((1 - b1) * g[i]);
            v[i] = (b2 * v[i]) + ((1 - b2) * g[i] * g[i]);
            double mHat = m[i] / (1 - Math.Pow(b1, t));
            double vHat = v[i] / (1 - Math.Pow(b2, t));
            p[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
        }
    }

    private static Parameter CreateParameter()
    {
        var parameter = new Parameter("L.weight", Initial.Length);
        for (int i = 0; i < Initial.Length; i++)
        {
            parameter.Value[i] = (float)Initial[i];
        }

        return parameter;
    }

    private static void RunStep(Optimizer optimizer, Parameter parameter, double[] gradient)
    {
        for (int i = 0; i < gradient.Length; i++)
        {
            parameter.Gradient[i] = (float)gradient[i];
        }

        optimizer.Step(parameter);
    }

    private static string Message(Action action) => Assert.Throws<ArgumentException>(action).Message;

    private static void AssertClose(double[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]);
            Assert.True(error <= Tolerance * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}.");
        }
    }

    /// <summary>The Net-S trunk and head A in double precision, with the fixture's initial weights and data.</summary>
    private sealed class NetSReference
    {
        private static readonly double[][] Rows = [[1, 0], [0, 1], [1, 1], [-1, 2]];
        private static readonly double[] Targets = [0.5, -0.5, 1, 0];

        /// <summary>T.weight [2, 2], T.bias [2], A.weight [1, 2], A.bias [1].</summary>
        public double[][] Parameters { get; } = [[0.1, -0.2, 0.3, 0.4], [0, 0], [0.5, -0.5], [0]];

        /// <summary>Returns the gradient of A's mean squared error with respect to <see cref="Parameters"/>.</summary>
        public double[][] GradientOfA()
        {
            double[] w = Parameters[0], b = Parameters[1], wa = Parameters[2];
            double ba = Parameters[3][0];
            double[][] g = [new double[4], new double[2], new double[2], new double[1]];
            foreach ((double[] x, double target) in Rows.Zip(Targets))
            {
                double[] h = [Math.Tanh((w[0] * x[0]) + (w[1] * x[1]) + b[0]), Math.Tanh((w[2] * x[0]) + (w[3] * x[1]) + b[1])];
                double y = (wa[0] * h[0]) + (wa[1] * h[1]) + ba;
                double dy = 2 * (y - target) / Rows.Length;
                g[3][0] += dy;
                for (int o = 0; o < 2; o++)
                {
                    g[2][o] += dy * h[o];
                    double dz = dy * wa[o] * (1 - (h[o] * h[o]));
                    g[1][o] += dz;
                    g[0][(o * 2) + 0] += dz * x[0];
                    g[0][(o * 2) + 1] += dz * x[1];
                }
            }

            return g;
        }
    }
}
