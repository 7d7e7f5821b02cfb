using System;
using System.Collections.Generic;
using System.Globalization;

namespace ModelGen.Optimizers;

/// <summary>
/// Updates parameters from their gradients. Generated training methods call <see cref="Step"/> once per call
/// with the parameters that the trained heads reach, and never with any other parameter, so the state of
/// unreached parameters (step counts, moments) does not move.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Added to the global norm before dividing, as PyTorch's <c>clip_grad_norm_</c> does.</summary>
    private const double ClipNormEpsilon = 1e-6;

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

    /// <summary>
    /// Maximum global L2 norm of the gradients of one <see cref="Step"/> call, or <see langword="null"/> (the
    /// default) for no norm clipping. The norm is taken over every parameter passed to that call, which for a
    /// generated training method is every parameter the trained heads reach. When it exceeds the maximum, every
    /// gradient is multiplied by <c>max / (norm + 1e-6)</c>, as PyTorch's <c>clip_grad_norm_</c> does.
    /// </summary>
    public float? ClipGradientNorm
    {
        get;
        set
        {
            if (value is { } v && !(v > 0 && float.IsFinite(v)))
            {
                throw new ArgumentOutOfRangeException(nameof(value), v, "The gradient norm limit must be a finite number > 0, or null to turn clipping off.");
            }

            field = value;
        }
    }

    /// <summary>
    /// Limit of each gradient element, or <see langword="null"/> (the default) for no value clipping. Elements are
    /// clamped to [-limit, limit], as PyTorch's <c>clip_grad_value_</c> does, after any norm clipping.
    /// </summary>
    public float? ClipGradientValue
    {
        get;
        set
        {
            if (value is { } v && !(v > 0 && float.IsFinite(v)))
            {
                throw new ArgumentOutOfRangeException(nameof(value), v, "The gradient value limit must be a finite number > 0, or null to turn clipping off.");
            }

            field = value;
        }
    }

    /// <summary>Initialises the learning rate.</summary>
    /// <param name="learningRate">Step size; finite and >= 0.</param>
    protected Optimizer(float learningRate) => LearningRate = learningRate;

    /// <summary>
    /// Names of the per-element state buffers, in the order of <see cref="OptimizerState.Buffers"/>. They are
    /// PyTorch's names for the same buffers (for example <c>exp_avg</c>), and checkpoints store each buffer under
    /// its name.
    /// </summary>
    public virtual IReadOnlyList<string> StateBufferNames
    {
        get
        {
            var names = new string[StateBufferCount];
            for (int i = 0; i < names.Length; i++)
            {
                names[i] = "buffer" + i.ToString(CultureInfo.InvariantCulture);
            }

            return names;
        }
    }

    /// <summary>
    /// Applies one step to each of <paramref name="parameters"/>: checks that every gradient is finite, so that
    /// a rejected step changes no parameter and no optimizer state, then clips the gradients in place (see
    /// <see cref="ClipGradientNorm"/> and <see cref="ClipGradientValue"/>), then updates each parameter.
    /// </summary>
    /// <param name="parameters">Parameters whose gradients were just computed.</param>
    /// <exception cref="ArgumentException">A gradient contains NaN or infinity.</exception>
    public void Step(params ReadOnlySpan<Parameter> parameters)
    {
        foreach (Parameter parameter in parameters)
        {
            Kernels.TensorChecks.Gradient(parameter);
        }

        if (ClipGradientNorm is { } maxNorm)
        {
            ClipByGlobalNorm(parameters, maxNorm);
        }

        if (ClipGradientValue is { } limit)
        {
            foreach (Parameter parameter in parameters)
            {
                Span<float> gradient = parameter.Gradient;
                for (int i = 0; i < gradient.Length; i++)
                {
                    gradient[i] = Math.Clamp(gradient[i], -limit, limit);
                }
            }
        }

        foreach (Parameter parameter in parameters)
        {
            Update(parameter);
        }
    }

    /// <summary>Applies one step to <paramref name="parameter"/> from its <see cref="Parameter.Gradient"/>, without checks or clipping.</summary>
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

    /// <summary>
    /// Returns this optimizer's state for <paramref name="parameter"/>, or <see langword="null"/> when the
    /// parameter has none (never updated, or updated by another optimizer).
    /// </summary>
    /// <param name="parameter">A parameter of the model that uses this optimizer.</param>
    public OptimizerState? GetState(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        OptimizerState? state = parameter.OptimizerState;
        return state is not null && ReferenceEquals(state.Owner, this) ? state : null;
    }

    /// <summary>
    /// Replaces the state of <paramref name="parameter"/> with a copy of <paramref name="buffers"/> and
    /// <paramref name="stepCount"/>, as if this optimizer had applied that many updates. Everything is checked
    /// first, so a rejected call changes nothing.
    /// </summary>
    /// <param name="parameter">A parameter of the model that uses this optimizer.</param>
    /// <param name="stepCount">Updates already applied; 1 or more.</param>
    /// <param name="buffers">One array per name of <see cref="StateBufferNames"/>, each as long as the parameter.</param>
    /// <exception cref="ArgumentException">The count, a length or a value is invalid.</exception>
    public void SetState(Parameter parameter, long stepCount, IReadOnlyList<float[]> buffers)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(buffers);
        string? error = CheckState(parameter, stepCount, buffers);
        if (error is not null)
        {
            throw new ArgumentException(error, nameof(buffers));
        }

        var state = new OptimizerState(this, StateBufferCount, parameter.Length) { StepCount = stepCount };
        for (int i = 0; i < buffers.Count; i++)
        {
            buffers[i].CopyTo(state.Buffers[i], 0);
        }

        parameter.OptimizerState = state;
    }

    /// <summary>Returns why the state cannot be imported, or <see langword="null"/> when it can.</summary>
    internal string? CheckState(Parameter parameter, long stepCount, IReadOnlyList<float[]> buffers)
    {
        if (stepCount < 1)
        {
            return $"Step count of '{parameter.Name}' is {stepCount}; a saved state has at least 1 step.";
        }

        if (buffers.Count != StateBufferCount)
        {
            return $"'{parameter.Name}' has {buffers.Count} state buffers; {GetType().Name} keeps {StateBufferCount} ({string.Join(", ", StateBufferNames)}).";
        }

        for (int i = 0; i < buffers.Count; i++)
        {
            float[]? buffer = buffers[i];
            if (buffer is null || buffer.Length != parameter.Length)
            {
                return $"State buffer '{StateBufferNames[i]}' of '{parameter.Name}' has {buffer?.Length.ToString(CultureInfo.InvariantCulture) ?? "no"} values; {parameter.Length} are needed.";
            }

            int bad = Array.FindIndex(buffer, static v => !float.IsFinite(v));
            if (bad >= 0)
            {
                return $"State buffer '{StateBufferNames[i]}' of '{parameter.Name}' contains {buffer[bad].ToString(CultureInfo.InvariantCulture)} at index {bad}; values must be finite.";
            }
        }

        return null;
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

    private static void ClipByGlobalNorm(ReadOnlySpan<Parameter> parameters, float maxNorm)
    {
        // The sum of squares is taken in double, so that it neither overflows nor depends on vector width.
        double sumOfSquares = 0;
        foreach (Parameter parameter in parameters)
        {
            foreach (float g in parameter.Gradient)
            {
                sumOfSquares += (double)g * g;
            }
        }

        double coefficient = maxNorm / (Math.Sqrt(sumOfSquares) + ClipNormEpsilon);
        if (coefficient >= 1)
        {
            return;
        }

        float scale = (float)coefficient;
        foreach (Parameter parameter in parameters)
        {
            Span<float> gradient = parameter.Gradient;
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] *= scale;
            }
        }
    }
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

    /// <summary>
    /// Per-element buffers, in the order of the owner's <see cref="Optimizer.StateBufferNames"/> (for Adam: first
    /// moment, second moment).
    /// </summary>
    public IReadOnlyList<float[]> Buffers => _buffers;

    /// <summary>Step count whose powers <see cref="Powers"/> contains, or 0 before any.</summary>
    internal long PowersStep { get; set; }

    /// <summary>Powers an optimizer caches per step (for Adam: β1ᵗ and β2ᵗ), so that an update need not call <see cref="Math.Pow"/>.</summary>
    internal (double First, double Second) Powers { get; set; }
}
