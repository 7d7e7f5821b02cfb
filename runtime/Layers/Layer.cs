using System;
using System.Collections.Generic;

namespace ModelGen;

/// <summary>A node of a generated network: an input or a layer, with the number of values it produces per sample.</summary>
public abstract class Layer
{
    /// <summary>Initialises the name and size shared by every layer.</summary>
    /// <param name="name">Property name of the layer in the model class.</param>
    /// <param name="size">Values produced per sample; must be positive.</param>
    /// <param name="sources">Layers this one reads, in order; empty for inputs.</param>
    protected Layer(string name, int size, Layer[] sources)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentNullException.ThrowIfNull(sources);
        if (Array.IndexOf(sources, null) >= 0)
        {
            throw new ArgumentException($"Layer '{name}' has a null source.", nameof(sources));
        }

        Name = name;
        Size = size;
        Sources = (Layer[])sources.Clone();
    }

    /// <summary>Property name of the layer in the model class.</summary>
    public string Name { get; }

    /// <summary>Values produced per sample.</summary>
    public int Size { get; }

    /// <summary>Layers this one reads, in order; empty for inputs.</summary>
    public IReadOnlyList<Layer> Sources { get; }

    /// <summary>The loss and weight of this layer when it is a head, else <see langword="null"/>.</summary>
    public HeadInfo? Head { get; init; }

    /// <summary>Whether <c>Predict</c> returns this layer's outputs although it has no loss (<c>[Output]</c>).</summary>
    public bool IsOutput { get; init; }

    /// <summary>Trainable tensors of the layer, weights before bias; empty for layers without parameters.</summary>
    public virtual IReadOnlyList<Parameter> Parameters => Array.Empty<Parameter>();

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name} {Name} ({Size})";
}

/// <summary>The loss of a head and its factor in the total loss, which can be changed at run time.</summary>
public sealed class HeadInfo
{
    /// <summary>Describes a head.</summary>
    /// <param name="loss">Loss between the head's outputs and its targets.</param>
    /// <param name="weight">Factor of the head's loss in the total loss; finite and >= 0.</param>
    /// <param name="huberDelta">Threshold of <see cref="Loss.Huber"/> between its quadratic and linear parts; > 0.</param>
    public HeadInfo(Loss loss, float weight, float huberDelta = 1f)
    {
        if (!(huberDelta > 0f && float.IsFinite(huberDelta)))
        {
            throw new ArgumentOutOfRangeException(nameof(huberDelta), huberDelta, "The Huber delta must be a finite number > 0.");
        }

        Loss = loss;
        Weight = weight;
        HuberDelta = huberDelta;
    }

    /// <summary>Loss between the head's outputs and its targets.</summary>
    public Loss Loss { get; }

    /// <summary>Threshold of <see cref="Loss.Huber"/> between its quadratic and linear parts.</summary>
    public float HuberDelta { get; }

    /// <summary>
    /// Factor of the head's loss in the total loss. A head of weight 0 contributes nothing: training it changes no
    /// parameter and no optimizer state, bit for bit.
    /// </summary>
    public float Weight
    {
        get;
        set
        {
            if (!(value >= 0f && float.IsFinite(value)))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "A head weight must be a finite number >= 0.");
            }

            field = value;
        }
    }
}

/// <summary>An input of the network: batch × <see cref="Layer.Size"/> values supplied by the caller.</summary>
public sealed class InputLayer : Layer
{
    /// <summary>Creates an input of <paramref name="size"/> features.</summary>
    /// <param name="name">Property name of the input.</param>
    /// <param name="size">Features per sample.</param>
    public InputLayer(string name, int size)
        : base(name, size, [])
    {
    }
}

/// <summary>A parameter-free layer that joins the outputs of several layers per sample, in order.</summary>
public sealed class ConcatenateLayer : Layer
{
    /// <summary>Creates a concatenation of <paramref name="sources"/>.</summary>
    /// <param name="name">Property name of the layer.</param>
    /// <param name="sources">Joined layers, in order.</param>
    public ConcatenateLayer(string name, params Layer[] sources)
        : base(name, TotalSize(sources), sources)
    {
    }

    private static int TotalSize(Layer[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        int size = 0;
        foreach (Layer source in sources)
        {
            size += source?.Size ?? 0;
        }

        return size;
    }
}

/// <summary>A parameter-free layer that sums the outputs of layers of equal size.</summary>
public sealed class AddLayer : Layer
{
    /// <summary>Creates an element-wise sum of <paramref name="sources"/>.</summary>
    /// <param name="name">Property name of the layer.</param>
    /// <param name="sources">Summed layers, all of the same size.</param>
    public AddLayer(string name, params Layer[] sources)
        : base(name, CommonSize(name, sources), sources)
    {
    }

    private static int CommonSize(string name, Layer[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Length == 0 || sources[0] is null)
        {
            throw new ArgumentException($"Add layer '{name}' needs at least one source.", nameof(sources));
        }

        foreach (Layer source in sources)
        {
            if (source is not null && source.Size != sources[0].Size)
            {
                throw new ArgumentException(
                    $"Add layer '{name}' sums '{sources[0].Name}' ({sources[0].Size}) and '{source.Name}' ({source.Size}); sizes must match.",
                    nameof(sources));
            }
        }

        return sources[0].Size;
    }
}
