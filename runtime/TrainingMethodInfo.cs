using System;
using System.Collections.Generic;

namespace ModelGen;

/// <summary>A generated training method: its name, the heads it trains and the layers it can update.</summary>
public sealed class TrainingMethodInfo
{
    /// <summary>Describes a training method.</summary>
    /// <param name="name">Method name, e.g. <c>TrainOnOutput2</c>.</param>
    /// <param name="heads">Trained heads, in declaration order.</param>
    /// <param name="layers">Dense layers the method can update (those the heads' gradients reach), in evaluation order.</param>
    public TrainingMethodInfo(string name, IReadOnlyList<string> heads, IReadOnlyList<string> layers)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(heads);
        ArgumentNullException.ThrowIfNull(layers);
        Name = name;
        Heads = heads;
        Layers = layers;
    }

    /// <summary>Method name, e.g. <c>TrainOnOutput2</c>.</summary>
    public string Name { get; }

    /// <summary>Trained heads, in declaration order.</summary>
    public IReadOnlyList<string> Heads { get; }

    /// <summary>Dense layers the method can update, in evaluation order.</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: updates {string.Join(", ", Layers)}";
}
