using System;
using ModelGen.Optimizers;

namespace ModelGen.Bench.Workloads;

/// <summary>An optimizer that changes nothing, so that a training step measures forward and backward alone.</summary>
public sealed class NoUpdate : Optimizer
{
    public NoUpdate()
        : base(0f)
    {
    }

    protected override int StateBufferCount => 0;

    protected override void Apply(Span<float> values, ReadOnlySpan<float> gradient, OptimizerState state)
    {
    }
}
