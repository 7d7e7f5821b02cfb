using System;
using System.Collections.Generic;

namespace ModelGen.Optimizers;

/// <summary>
/// Adam with PyTorch's <c>torch.optim.Adam</c> update: <c>m = β1·m + (1-β1)·g</c>, <c>v = β2·v + (1-β2)·g²</c>,
/// <c>p -= lr·(m / (1-β1ᵗ)) / (sqrt(v / (1-β2ᵗ)) + ε)</c>, where <c>t</c> counts the updates of that parameter
/// (so a tensor's first update is its step 1 however many calls trained other tensors before). State buffers are
/// <c>m</c> (<c>exp_avg</c>), then <c>v</c> (<c>exp_avg_sq</c>).
/// </summary>
public sealed class Adam : Optimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRate">Step size; finite and >= 0.</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">Added to the bias-corrected square root of the second moment; > 0.</param>
    public Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
        : base(learningRate)
    {
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

        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>Decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the bias-corrected square root of the second moment.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> StateBufferNames => BufferNames;

    /// <inheritdoc/>
    protected override int StateBufferCount => 2;

    /// <summary>PyTorch's names of the first and second moment.</summary>
    internal static readonly string[] BufferNames = ["exp_avg", "exp_avg_sq"];

    /// <inheritdoc/>
    protected override void Apply(Span<float> values, ReadOnlySpan<float> gradient, OptimizerState state) =>
        ApplyAdam(values, gradient, state, LearningRate, Beta1, Beta2, Epsilon);

    /// <summary>Applies the Adam update shared by <see cref="Adam"/> and <see cref="AdamW"/>.</summary>
    internal static void ApplyAdam(Span<float> values, ReadOnlySpan<float> gradient, OptimizerState state, float learningRate, float beta1, float beta2, float epsilon)
    {
        float[] m = state.Buffers[0];
        float[] v = state.Buffers[1];
        (double beta1Power, double beta2Power) = Powers(state, beta1, beta2);
        float biasCorrection1 = (float)(1.0 - beta1Power);
        float biasCorrection2Sqrt = (float)Math.Sqrt(1.0 - beta2Power);
        var step = new AdamStep(beta1, beta2, epsilon, learningRate / biasCorrection1, 1f / biasCorrection2Sqrt);
        OptimizerKernels.Adam(values, gradient, m, v, step, Kernels.Gemm.Widest);
    }

    /// <summary>
    /// Returns β1ᵗ and β2ᵗ for the state's step t: the previous step's powers times β when they are cached (the
    /// usual case; in double precision the relative error after t steps stays below t·2⁻⁵³, far under float
    /// precision), else <see cref="Math.Pow"/>.
    /// </summary>
    private static (double Beta1Power, double Beta2Power) Powers(OptimizerState state, float beta1, float beta2)
    {
        long t = state.StepCount;
        (double first, double second) = state.PowersStep == t - 1 && t > 1
            ? (state.Powers.First * beta1, state.Powers.Second * beta2)
            : (Math.Pow(beta1, t), Math.Pow(beta2, t));
        state.Powers = (first, second);
        state.PowersStep = t;
        return (first, second);
    }
}
