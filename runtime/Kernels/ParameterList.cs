using System;

namespace ModelGen.Kernels;

/// <summary>
/// A reusable list of the parameters one training call updates, so that the call can pass them to
/// <see cref="Optimizers.Optimizer.Step"/> without allocating.
/// </summary>
public sealed class ParameterList
{
    private readonly Parameter[] _items;
    private int _count;

    /// <summary>Creates a list of at most <paramref name="capacity"/> parameters.</summary>
    /// <param name="capacity">Maximum number of parameters.</param>
    public ParameterList(int capacity) => _items = new Parameter[capacity];

    /// <summary>Parameters added since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<Parameter> Items => _items.AsSpan(0, _count);

    /// <summary>Empties the list.</summary>
    public void Clear()
    {
        Array.Clear(_items, 0, _count);
        _count = 0;
    }

    /// <summary>Adds the weights and bias of <paramref name="layer"/>.</summary>
    /// <param name="layer">A layer to update.</param>
    public void Add(DenseLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _items[_count++] = layer.WeightParameter;
        _items[_count++] = layer.BiasParameter;
    }
}
