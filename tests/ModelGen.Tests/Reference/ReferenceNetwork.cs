using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelGen.Tests.Reference;

/// <summary>
/// An independent double-precision evaluator of a generated model's graph, written from the loss and layer
/// definitions rather than from the kernels, for finite-difference gradient checks.
/// </summary>
internal sealed class ReferenceNetwork
{
    private readonly IModel _model;
    private readonly Dictionary<Parameter, double[]> _values;

    public ReferenceNetwork(IModel model)
    {
        _model = model;
        _values = model.Parameters.ToDictionary(p => p, p => p.Value.Select(v => (double)v).ToArray());
    }

    /// <summary>Double copies of the parameter values, which <see cref="FiniteDifference"/> perturbs.</summary>
    public IReadOnlyDictionary<Parameter, double[]> Values => _values;

    /// <summary>
    /// Returns the total loss Σ weight·loss over <paramref name="targets"/> (head name to float[] targets or
    /// int[] labels) for the batch in <paramref name="inputs"/> (input name to values).
    /// </summary>
    public double Loss(IReadOnlyDictionary<string, float[]> inputs, IReadOnlyDictionary<string, Array> targets)
    {
        int batch = -1;
        var outputs = new Dictionary<Layer, double[][]>();
        foreach (Layer input in _model.Layers.OfType<InputLayer>())
        {
            if (inputs.TryGetValue(input.Name, out float[]? values))
            {
                batch = values.Length / input.Size;
                outputs[input] = Enumerable.Range(0, batch)
                    .Select(b => values.Skip(b * input.Size).Take(input.Size).Select(v => (double)v).ToArray())
                    .ToArray();
            }
        }

        double total = 0;
        foreach ((string headName, Array target) in targets)
        {
            Layer head = _model.Layers.Single(l => l.Name == headName);
            HeadInfo info = head.Head ?? throw new InvalidOperationException($"{headName} is not a head.");
            total += info.Weight * HeadLoss(head, info.Loss, target, batch, outputs);
        }

        return total;
    }

    /// <summary>Returns the central difference of <see cref="Loss"/> with respect to one parameter element.</summary>
    public double FiniteDifference(Parameter parameter, int index, IReadOnlyDictionary<string, float[]> inputs, IReadOnlyDictionary<string, Array> targets, double step = 1e-6)
    {
        double[] values = _values[parameter];
        double original = values[index];
        values[index] = original + step;
        double plus = Loss(inputs, targets);
        values[index] = original - step;
        double minus = Loss(inputs, targets);
        values[index] = original;
        return (plus - minus) / (2 * step);
    }

    private double HeadLoss(Layer head, ModelGen.Loss loss, Array target, int batch, Dictionary<Layer, double[][]> outputs)
    {
        var dense = (DenseLayer)head;
        double[][] z = PreActivation(dense, outputs);
        double[][] y = Evaluate(head, outputs);
        int units = head.Size;
        double sum = 0;
        switch (loss)
        {
            case ModelGen.Loss.MeanSquaredError:
            case ModelGen.Loss.MeanAbsoluteError:
                float[] t = (float[])target;
                for (int b = 0; b < batch; b++)
                {
                    for (int u = 0; u < units; u++)
                    {
                        double d = y[b][u] - t[(b * units) + u];
                        sum += loss == ModelGen.Loss.MeanSquaredError ? d * d : Math.Abs(d);
                    }
                }

                return sum / (batch * units);
            case ModelGen.Loss.BinaryCrossEntropy:
                float[] p = (float[])target;
                for (int b = 0; b < batch; b++)
                {
                    for (int u = 0; u < units; u++)
                    {
                        double label = p[(b * units) + u];
                        if (dense.Activation == Activation.Sigmoid)
                        {
                            double logit = z[b][u];
                            sum += Math.Log(1 + Math.Exp(-logit)) + ((1 - label) * logit);
                        }
                        else
                        {
                            double q = Math.Clamp(y[b][u], 1e-7, 1 - 1e-7);
                            sum -= (label * Math.Log(q)) + ((1 - label) * Math.Log(1 - q));
                        }
                    }
                }

                return sum / (batch * units);
            default:
                int[] labels = (int[])target;
                double[][] logits = dense.Activation is Activation.Softmax or Activation.Linear ? z : y;
                for (int b = 0; b < batch; b++)
                {
                    double max = logits[b].Max();
                    double logSum = Math.Log(logits[b].Sum(v => Math.Exp(v - max))) + max;
                    sum += logSum - logits[b][labels[b]];
                }

                return sum / batch;
        }
    }

    private double[][] Evaluate(Layer layer, Dictionary<Layer, double[][]> outputs)
    {
        if (outputs.TryGetValue(layer, out double[][]? cached))
        {
            return cached;
        }

        double[][] result = layer switch
        {
            DenseLayer dense => PreActivation(dense, outputs).Select(row => Activate(dense.Activation, row)).ToArray(),
            ConcatenateLayer => Combine(layer, outputs, (rows) => rows.SelectMany(r => r).ToArray()),
            AddLayer => Combine(layer, outputs, (rows) => Enumerable.Range(0, layer.Size).Select(i => rows.Sum(r => r[i])).ToArray()),
            _ => throw new InvalidOperationException($"Input '{layer.Name}' has no values."),
        };
        outputs[layer] = result;
        return result;
    }

    private double[][] Combine(Layer layer, Dictionary<Layer, double[][]> outputs, Func<double[][], double[]> combine)
    {
        double[][][] sources = layer.Sources.Select(s => Evaluate(s, outputs)).ToArray();
        return Enumerable.Range(0, sources[0].Length).Select(b => combine(sources.Select(s => s[b]).ToArray())).ToArray();
    }

    private double[][] PreActivation(DenseLayer dense, Dictionary<Layer, double[][]> outputs)
    {
        double[][] x = Evaluate(dense.Sources[0], outputs);
        double[] w = _values[dense.WeightParameter];
        double[] bias = _values[dense.BiasParameter];
        return x.Select(row => Enumerable.Range(0, dense.Units)
                .Select(o => Enumerable.Range(0, dense.Inputs).Sum(i => w[(o * dense.Inputs) + i] * row[i]) + bias[o])
                .ToArray())
            .ToArray();
    }

    private static double[] Activate(Activation activation, double[] z)
    {
        switch (activation)
        {
            case Activation.Linear:
                return z;
            case Activation.Relu:
                return z.Select(v => Math.Max(v, 0)).ToArray();
            case Activation.Sigmoid:
                return z.Select(v => 1 / (1 + Math.Exp(-v))).ToArray();
            case Activation.Tanh:
                return z.Select(Math.Tanh).ToArray();
            default:
                double max = z.Max();
                double[] e = z.Select(v => Math.Exp(v - max)).ToArray();
                double sum = e.Sum();
                return e.Select(v => v / sum).ToArray();
        }
    }
}
