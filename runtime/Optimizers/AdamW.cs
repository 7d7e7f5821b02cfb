using System;
using System.Collections.Generic;

namespace ModelGen.Optimizers;

/// <summary>
/// Adam with decoupled weight decay, using PyTorch's <c>torch.optim.AdamW</c> update: first
/// <c>p -= lr·wd·p</c>, then the <see cref="Adam"/> step on the decayed values. Unlike an L2 term added to the
/// loss, the decay does not pass through the moments. State buffers are <c>m</c> (<c>exp_avg</c>), then
/// <c>v</c> (<c>exp_avg_sq</c>).
/// </summary>
public sealed class AdamW : Optimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRate">Step size; finite and >= 0.</param>
    /// <param name="weightDecay">Decoupled weight decay factor; finite and >= 0.</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">Added to the bias-corrected square root of the second moment; > 0.</param>
    public AdamW(float learningRate = 0.001f, float weightDecay = 0.01f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
        : base(learningRate)
    {
        if (!(weightDecay >= 0f && float.IsFinite(weightDecay)))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be a finite number >= 0.");
        }

        if (!(beta1 >= 0f && beta1 < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        }

        if (!(beta2 >= 0f && beta2 < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        }

        if (!(epsilon > 0f && float.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be a finite number > 0.");
        }

        WeightDecay = weightDecay;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>Decoupled weight decay factor: each step first scales the values by <c>1 - lr·wd</c>.</summary>
    public float WeightDecay { get; }

    /// <summary>Decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the bias-corrected square root of the second moment.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> StateBufferNames => Adam.BufferNames;

    /// <inheritdoc/>
    protected override int StateBufferCount => 2;

    /// <inheritdoc/>
    protected override void Apply(Span<float> values, ReadOnlySpan<float> gradient, OptimizerState state)
    {
        float decay = 1f - (LearningRate * WeightDecay);
        if (decay != 1f)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] *= decay;
            }
        }

        Adam.ApplyAdam(values, gradient, state, LearningRate, Beta1, Beta2, Epsilon);
    }
}
