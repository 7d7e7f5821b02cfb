using System;
using ModelGen.Optimizers;
using Xunit;

namespace ModelGen.Tests;

/// <summary>Optimizer steps against the PyTorch formulas evaluated in double precision.</summary>
public class OptimizerReferenceTests
{
    private static readonly double[] Gradients1 = [0.5, -0.25, 2.0];
    private static readonly double[] Gradients2 = [-0.1, 0.3, 0.0];

    [Fact]
    public void Adam_MatchesPyTorchFormulaOverTwoSteps()
    {
        var optimizer = new Adam(learningRate: 0.01f, beta1: 0.9f, beta2: 0.999f, epsilon: 1e-8f);
        var parameter = new Parameter("P.weight", 3);
        double[] p = [0.1, -0.2, 0.3];
        double[] m = new double[3], v = new double[3];
        ((float[])[0.1f, -0.2f, 0.3f]).CopyTo(parameter.Value, 0);

        for (int t = 1; t <= 2; t++)
        {
            double[] g = t == 1 ? Gradients1 : Gradients2;
            for (int i = 0; i < 3; i++)
            {
                parameter.Gradient[i] = (float)g[i];
                m[i] = (0.9 * m[i]) + (0.1 * g[i]);
                v[i] = (0.999 * v[i]) + (0.001 * g[i] * g[i]);
                double mHat = m[i] / (1 - Math.Pow(0.9, t));
                double vHat = v[i] / (1 - Math.Pow(0.999, t));
                p[i] -= 0.01 * mHat / (Math.Sqrt(vHat) + 1e-8);
            }

            optimizer.Step(parameter);
        }

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(p[i], parameter.Value[i], 1e-6);
            Assert.Equal(m[i], parameter.OptimizerState!.Buffers[0][i], 1e-6);
            Assert.Equal(v[i], parameter.OptimizerState.Buffers[1][i], 1e-6);
        }

        Assert.Equal(2, parameter.OptimizerState!.StepCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SgdWithMomentum_MatchesPyTorchFormula(bool nesterov)
    {
        var optimizer = new Sgd(0.1f, momentum: 0.9f, nesterov: nesterov);
        var parameter = new Parameter("P.weight", 3);
        double[] p = new double[3], buffer = new double[3];
        for (int t = 1; t <= 2; t++)
        {
            double[] g = t == 1 ? Gradients1 : Gradients2;
            for (int i = 0; i < 3; i++)
            {
                parameter.Gradient[i] = (float)g[i];
                buffer[i] = t == 1 ? g[i] : (0.9 * buffer[i]) + g[i];
                p[i] -= 0.1 * (nesterov ? g[i] + (0.9 * buffer[i]) : buffer[i]);
            }

            optimizer.Step(parameter);
        }

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(p[i], parameter.Value[i], 1e-6);
        }
    }

    [Fact]
    public void NewOptimizer_StartsFreshState()
    {
        var parameter = new Parameter("P.weight", 1);
        parameter.Gradient[0] = 1f;
        new Adam().Step(parameter);
        var second = new Adam();
        second.Step(parameter);
        Assert.Same(second, parameter.OptimizerState!.Owner);
        Assert.Equal(1, parameter.OptimizerState.StepCount);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void InvalidLearningRate_IsRejected(float learningRate)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(learningRate));
        Assert.Contains("learning rate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidAdamSettings_AreRejected()
    {
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta1: 1f)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta2: -0.1f)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(epsilon: 0f)).ParamName);
        Assert.Equal("nesterov", Assert.Throws<ArgumentException>(() => new Sgd(0.1f, nesterov: true)).ParamName);
    }
}
