using System;
using System.Collections.Generic;

namespace ModelGen.Optimizers;

/// <summary>
/// Updates parameters from their gradients. Generated training methods call <see cref="Update"/> once per
/// parameter that the trained heads reach, and never for any other parameter, so the state of unreached
/// parameters (step counts, moments) does not move.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Step size.</summary>
    public float LearningRate
    {
        get;
        set
        {
            if (!float.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be a finite number >= 0.");
            }

            field = value;
        }
    }

    /// <summary>Initialises the learning rate.</summary>
    /// <param name="learningRate">Step size; finite and >= 0.</param>
    protected Optimizer(float learningRate) => LearningRate = learningRate;

    /// <summary>
    /// Applies one step to each of <paramref name="parameters"/> after checking that all their gradients are
    /// finite, so that a rejected step changes no parameter and no optimizer state.
    /// </summary>
    /// <param name="parameters">Parameters whose gradients were just computed.</param>
    /// <exception cref="ArgumentException">A gradient holds NaN or infinity.</exception>
    public void Step(params ReadOnlySpan<Parameter> parameters)
    {
        foreach (Parameter parameter in parameters)
        {
            Kernels.TensorChecks.Gradient(parameter);
        }

        foreach (Parameter parameter in parameters)
        {
            Update(parameter);
        }
    }

    /// <summary>Applies one step to <paramref name="parameter"/> from its <see cref="Parameter.Gradient"/>.</summary>
    /// <param name="parameter">A parameter whose gradient was just computed.</param>
    public void Update(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        OptimizerState? state = parameter.OptimizerState;
        if (state is null || !ReferenceEquals(state.Owner, this))
        {
            state = new OptimizerState(this, StateBufferCount, parameter.Length);
            parameter.OptimizerState = state;
        }

        state.StepCount++;
        Apply(parameter.Value, parameter.Gradient, state);
    }

    /// <summary>Number of per-element buffers the optimizer keeps for each parameter.</summary>
    protected abstract int StateBufferCount { get; }

    /// <summary>
    /// Updates <paramref name="values"/> in place. <see cref="OptimizerState.StepCount"/> already counts this
    /// step (1 on the first update of the parameter).
    /// </summary>
    /// <param name="values">Parameter values.</param>
    /// <param name="gradient">Gradient of the loss with respect to the values.</param>
    /// <param name="state">This optimizer's state for the parameter.</param>
    protected abstract void Apply(Span<float> values, ReadOnlySpan<float> gradient, OptimizerState state);
}

/// <summary>State an optimizer keeps for one parameter.</summary>
public sealed class OptimizerState
{
    private readonly float[][] _buffers;

    internal OptimizerState(Optimizer owner, int bufferCount, int length)
    {
        Owner = owner;
        _buffers = new float[bufferCount][];
        for (int i = 0; i < bufferCount; i++)
        {
            _buffers[i] = new float[length];
        }
    }

    /// <summary>The optimizer that owns this state.</summary>
    public Optimizer Owner { get; }

    /// <summary>Number of updates applied to the parameter by <see cref="Owner"/>.</summary>
    public long StepCount { get; internal set; }

    /// <summary>Per-element buffers, in the order the optimizer documents (for Adam: first moment, second moment).</summary>
    public IReadOnlyList<float[]> Buffers => _buffers;

    /// <summary>Step count whose powers <see cref="Powers"/> contains, or 0 before any.</summary>
    internal long PowersStep { get; set; }

    /// <summary>Powers an optimizer caches per step (for Adam: β1ᵗ and β2ᵗ), so that an update need not call <see cref="Math.Pow"/>.</summary>
    internal (double First, double Second) Powers { get; set; }
}
