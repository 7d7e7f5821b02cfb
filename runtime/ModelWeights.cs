using System;
using System.Collections.Generic;

namespace ModelGen;

/// <summary>Copies parameter values in and out of a model, for the generated <c>GetWeights</c> and <c>SetWeights</c>.</summary>
public static class ModelWeights
{
    /// <summary>Returns a copy of each parameter's values.</summary>
    /// <param name="parameters">Parameters in model order.</param>
    public static float[][] Copy(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var copies = new float[parameters.Count][];
        for (int i = 0; i < copies.Length; i++)
        {
            copies[i] = (float[])parameters[i].Value.Clone();
        }

        return copies;
    }

    /// <summary>
    /// Copies <paramref name="weights"/> into <paramref name="parameters"/> after checking the count, every
    /// length and every value, so that a rejected call changes nothing.
    /// </summary>
    /// <param name="parameters">Parameters in model order.</param>
    /// <param name="weights">One array per parameter.</param>
    public static void Set(IReadOnlyList<Parameter> parameters, IReadOnlyList<float[]> weights)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count != parameters.Count)
        {
            throw new ArgumentException(
                $"Expected {parameters.Count} weight arrays (one per parameter: {Names(parameters)}), got {weights.Count}.",
                nameof(weights));
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter parameter = parameters[i];
            float[]? values = weights[i];
            if (values is null)
            {
                throw new ArgumentException($"Weight array {i} ('{parameter.Name}') is null.", nameof(weights));
            }

            if (values.Length != parameter.Length)
            {
                throw new ArgumentException(
                    $"Weight array {i} ('{parameter.Name}', shape {parameter.FormatShape()}) needs {parameter.Length} values, got {values.Length}.",
                    nameof(weights));
            }

            int bad = Array.FindIndex(values, static v => !float.IsFinite(v));
            if (bad >= 0)
            {
                throw new ArgumentException($"Weight array {i} ('{parameter.Name}') holds {values[bad]} at index {bad}; weights must be finite.", nameof(weights));
            }
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            weights[i].CopyTo(parameters[i].Value, 0);
        }
    }

    private static string Names(IReadOnlyList<Parameter> parameters)
    {
        var names = new string[parameters.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = parameters[i].Name;
        }

        return string.Join(", ", names);
    }
}
