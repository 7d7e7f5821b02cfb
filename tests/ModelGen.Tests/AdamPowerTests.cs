using System;
using ModelGen.Optimizers;
using Xunit;

namespace ModelGen.Tests;

/// <summary>Adam's cached β powers against <see cref="Math.Pow"/>.</summary>
public class AdamPowerTests
{
    [Fact]
    public void CachedPowers_MatchPowAfterManySteps()
    {
        var parameter = new Parameter("w", 3);
        var adam = new Adam(learningRate: 0.01f);
        for (int step = 0; step < 500; step++)
        {
            parameter.Gradient[0] = 0.5f;
            parameter.Gradient[1] = -0.25f;
            parameter.Gradient[2] = 0f;
            adam.Update(parameter);
        }

        OptimizerState state = parameter.OptimizerState!;
        Assert.Equal(500, state.PowersStep);
        Assert.Equal(Math.Pow(0.9f, 500), state.Powers.First, 1e-14);
        Assert.Equal(Math.Pow(0.999f, 500), state.Powers.Second, 1e-12);
    }

    [Fact]
    public void StepCountJump_RecomputesPowers()
    {
        var parameter = new Parameter("w", 2);
        var adam = new Adam();
        adam.Update(parameter);
        OptimizerState state = parameter.OptimizerState!;
        state.StepCount = 99;

        adam.Update(parameter);

        Assert.Equal(100, state.PowersStep);
        Assert.Equal(Math.Pow(0.9f, 100), state.Powers.First, 1e-15);
        Assert.Equal(Math.Pow(0.999f, 100), state.Powers.Second, 1e-15);
    }
}
