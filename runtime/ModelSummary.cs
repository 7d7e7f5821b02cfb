using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ModelGen;

/// <summary>Formats the summary table that the generated <c>Describe()</c> returns.</summary>
public static class ModelSummary
{
    private static readonly string[] Header = ["Layer", "Kind", "Size", "Activation", "Reads", "Parameters", "Trainable", "Role"];

    /// <summary>
    /// Returns one row per layer (kind, output size, activation, sources, parameters, trainable, head), the
    /// parameter totals, and one row per training method with the layers it can update.
    /// </summary>
    /// <param name="modelName">Name of the model class.</param>
    /// <param name="layers">Layers in declaration order.</param>
    /// <param name="methods">Training methods.</param>
    public static string Format(string modelName, IReadOnlyList<Layer> layers, IReadOnlyList<TrainingMethodInfo> methods)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(methods);
        var rows = new List<string[]> { Header };
        foreach (Layer layer in layers)
        {
            int count = layer.Parameters.Sum(p => p.Length);
            rows.Add([
                layer.Name,
                layer switch
                {
                    InputLayer => "input",
                    DenseLayer => "dense",
                    ConcatenateLayer => "concatenate",
                    AddLayer => "add",
                    DropoutLayer dropout => "dropout " + dropout.Rate.ToString("0.###", CultureInfo.InvariantCulture),
                    _ => layer.GetType().Name,
                },
                layer.Size.ToString(CultureInfo.InvariantCulture),
                layer is DenseLayer dense ? dense.Activation.ToString() : string.Empty,
                string.Join(", ", layer.Sources.Select(s => s.Name)),
                count == 0 ? string.Empty : count.ToString("N0", CultureInfo.InvariantCulture),
                TrainableText(layer),
                RoleText(layer),
            ]);
        }

        var text = new StringBuilder();
        text.Append("Model ").AppendLine(modelName);
        AppendTable(text, rows);
        int total = layers.Sum(l => l.Parameters.Sum(p => p.Length));
        int frozen = layers.OfType<DenseLayer>().Where(d => !d.Trainable).Sum(d => d.Parameters.Sum(p => p.Length));
        text.Append(CultureInfo.InvariantCulture, $"Parameters: {total:N0} ({total - frozen:N0} trainable, {frozen:N0} frozen)").AppendLine();
        text.AppendLine("Training methods:");
        var methodRows = methods.Select(m => new[] { "  " + m.Name, "updates " + (m.Layers.Count == 0 ? "nothing" : string.Join(", ", m.Layers)) }).ToList();
        AppendTable(text, methodRows);
        return text.ToString();
    }

    private static string TrainableText(Layer layer)
    {
        if (layer is not DenseLayer dense)
        {
            return string.Empty;
        }

        return dense.Trainable ? "yes" : "frozen";
    }

    private static string RoleText(Layer layer)
    {
        if (layer.Head is { } head)
        {
            return $"head: {head.Loss}, weight {head.Weight.ToString("R", CultureInfo.InvariantCulture)}";
        }

        return layer.IsOutput ? "output" : string.Empty;
    }

    private static void AppendTable(StringBuilder text, List<string[]> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        int[] widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (string[] row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }
    }
}
