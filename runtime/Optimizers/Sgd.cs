using System;
using System.Collections.Generic;

namespace ModelGen.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum, using PyTorch's <c>torch.optim.SGD</c> update:
/// <c>buf = momentum·buf + g</c> (<c>buf = g</c> on the first step), then <c>p -= lr·buf</c>, or
/// <c>p -= lr·(g + momentum·buf)</c> with Nesterov momentum. State buffer 0 is <c>buf</c>
/// (<c>momentum_buffer</c>) when momentum is used.
/// </summary>
public sealed class Sgd : Optimizer
{
    private static readonly string[] MomentumBufferNames = ["momentum_buffer"];

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size; finite and >= 0.</param>
    /// <param name="momentum">Momentum factor in [0, 1).</param>
    /// <param name="nesterov">Whether to use Nesterov momentum; needs a positive momentum.</param>
    public Sgd(float learningRate, float momentum = 0f, bool nesterov = false)
        : base(learningRate)
    {
        if (!(momentum >= 0f && momentum < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        }

        if (nesterov && momentum == 0f)
        {
            throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(nesterov));
        }

        Momentum = momentum;
        Nesterov = nesterov;
    }

    /// <summary>Momentum factor.</summary>
    public float Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> StateBufferNames => Momentum == 0f ? [] : MomentumBufferNames;

    /// <inheritdoc/>
    protected override int StateBufferCount => Momentum == 0f ? 0 : 1;

    /// <inheritdoc/>
    protected override void Apply(Span<float> values, ReadOnlySpan<float> gradient, OptimizerState state)
    {
        if (Momentum == 0f)
        {
            OptimizerKernels.Sgd(values, gradient, LearningRate, Kernels.Gemm.Widest);
            return;
        }

        OptimizerKernels.SgdMomentum(values, gradient, state.Buffers[0], LearningRate, Momentum, Nesterov, state.StepCount == 1, Kernels.Gemm.Widest);
    }
}
