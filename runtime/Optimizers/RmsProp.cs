using System;
using System.Collections.Generic;

namespace ModelGen.Optimizers;

/// <summary>
/// RMSprop with PyTorch's <c>torch.optim.RMSprop</c> update. With <c>g</c> the gradient (plus <c>wd·p</c> when
/// weight decay is set): <c>v = α·v + (1-α)·g²</c>; when centered, <c>ḡ = ḡ + (1-α)·(g - ḡ)</c> and the
/// denominator is <c>sqrt(v - ḡ²) + ε</c>, else <c>sqrt(v) + ε</c> (ε is added after the square root, as in
/// PyTorch and unlike TensorFlow). Without momentum <c>p -= lr·g / denominator</c>; with momentum
/// <c>buf = μ·buf + g / denominator</c> (starting from zero) and <c>p -= lr·buf</c>. State buffers are
/// <c>square_avg</c>, then <c>momentum_buffer</c> when momentum is used, then <c>grad_avg</c> when centered.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private readonly string[] _bufferNames;

    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRate">Step size; finite and >= 0.</param>
    /// <param name="alpha">Smoothing constant of the squared-gradient average, in [0, 1).</param>
    /// <param name="epsilon">Added to the root of the squared-gradient average; finite and > 0.</param>
    /// <param name="momentum">Momentum factor in [0, 1).</param>
    /// <param name="centered">Whether to divide by an estimate of the gradient's variance instead of its raw second moment.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient as <c>wd·p</c>; finite and >= 0.</param>
    public RmsProp(float learningRate = 0.01f, float alpha = 0.99f, float epsilon = 1e-8f, float momentum = 0f, bool centered = false, float weightDecay = 0f)
        : base(learningRate)
    {
        if (!(alpha >= 0f && alpha < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in [0, 1).");
        }

        if (!(epsilon > 0f && float.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be a finite number > 0.");
        }

        if (!(momentum >= 0f && momentum < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        }

        if (!(weightDecay >= 0f && float.IsFinite(weightDecay)))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be a finite number >= 0.");
        }

        Alpha = alpha;
        Epsilon = epsilon;
        Momentum = momentum;
        Centered = centered;
        WeightDecay = weightDecay;

        var names = new List<string> { "square_avg" };
        if (momentum > 0f)
        {
            names.Add("momentum_buffer");
        }

        if (centered)
        {
            names.Add("grad_avg");
        }

        _bufferNames = [.. names];
    }

    /// <summary>Smoothing constant of the squared-gradient average.</summary>
    public float Alpha { get; }

    /// <summary>Added to the root of the squared-gradient average.</summary>
    public float Epsilon { get; }

    /// <summary>Momentum factor; 0 for none.</summary>
    public float Momentum { get; }

    /// <summary>Whether the denominator uses the variance estimate <c>v - ḡ²</c>.</summary>
    public bool Centered { get; }

    /// <summary>L2 penalty factor added to the gradient.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> StateBufferNames => _bufferNames;

    /// <inheritdoc/>
    protected override int StateBufferCount => _bufferNames.Length;

    /// <inheritdoc/>
    protected override void Apply(Span<float> values, ReadOnlySpan<float> gradient, OptimizerState state)
    {
        Span<float> squareAverage = state.Buffers[0];
        Span<float> momentumBuffer = Momentum > 0f ? state.Buffers[1] : default;
        Span<float> gradientAverage = Centered ? state.Buffers[^1] : default;
        float alpha = Alpha, oneMinusAlpha = 1f - Alpha, learningRate = LearningRate;
        for (int i = 0; i < values.Length; i++)
        {
            float g = gradient[i];
            if (WeightDecay != 0f)
            {
                g += WeightDecay * values[i];
            }

            float v = (alpha * squareAverage[i]) + (oneMinusAlpha * g * g);
            squareAverage[i] = v;
            float variance = v;
            if (Centered)
            {
                float mean = gradientAverage[i] + (oneMinusAlpha * (g - gradientAverage[i]));
                gradientAverage[i] = mean;
                // v ≥ ḡ² is true in exact arithmetic, but rounding can push the difference just below zero.
                variance = MathF.Max(v - (mean * mean), 0f);
            }

            float denominator = MathF.Sqrt(variance) + Epsilon;
            if (Momentum > 0f)
            {
                float buffer = (Momentum * momentumBuffer[i]) + (g / denominator);
                momentumBuffer[i] = buffer;
                values[i] -= learningRate * buffer;
            }
            else
            {
                values[i] -= learningRate * g / denominator;
            }
        }
    }
}
