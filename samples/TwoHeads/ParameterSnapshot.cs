using System;
using System.Collections.Generic;
using System.Linq;
using ModelGen;

namespace TwoHeads;

/// <summary>A bit-exact copy of every parameter's values and optimizer state, to tell which layers a phase changed.</summary>
internal sealed class ParameterSnapshot
{
    private readonly Dictionary<string, (float[] Values, long Steps, float[][] Buffers)> _entries;

    public ParameterSnapshot(IModel model)
    {
        _entries = model.Parameters.ToDictionary(
            p => p.Name,
            p => ((float[])p.Value.Clone(), p.OptimizerState?.StepCount ?? 0, p.OptimizerState?.Buffers.Select(b => (float[])b.Clone()).ToArray() ?? []));
    }

    /// <summary>Returns whether any value or optimizer state of <paramref name="layer"/> differs from <paramref name="other"/>.</summary>
    public bool Changed(ParameterSnapshot other, Layer layer) => layer.Parameters.Any(p => !Same(_entries[p.Name], other._entries[p.Name]));

    private static bool Same((float[] Values, long Steps, float[][] Buffers) a, (float[] Values, long Steps, float[][] Buffers) b) =>
        a.Values.AsSpan().SequenceEqual(b.Values)
        && a.Steps == b.Steps
        && a.Buffers.Length == b.Buffers.Length
        && a.Buffers.Zip(b.Buffers).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));
}
