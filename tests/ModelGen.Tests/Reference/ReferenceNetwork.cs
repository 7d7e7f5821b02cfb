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
    public double Loss(IReadOnlyDictionary<string, float[]> inputs, IReadOnlyDictionary<string, Array> targets) =>
        Loss(inputs, targets, new Dictionary<string, float[]>());

    /// <summary>
    /// Returns the total loss with per-sample weights for some heads: each weighted head's loss is
    /// Σ w_b·l_b / Σ w_b (0 when every weight is 0).
    /// </summary>
    public double Loss(IReadOnlyDictionary<string, float[]> inputs, IReadOnlyDictionary<string, Array> targets, IReadOnlyDictionary<string, float[]> sampleWeights)
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
            double[] perSample = HeadLosses(head, info, target, batch, outputs);
            float[] weights = sampleWeights.TryGetValue(headName, out float[]? w) ? w : Enumerable.Repeat(1f, batch).ToArray();
            double weightSum = weights.Sum(v => (double)v);
            total += weightSum == 0 ? 0 : info.Weight * perSample.Select((l, b) => weights[b] == 0 ? 0 : weights[b] * l).Sum() / weightSum;
        }

        return total;
    }

    /// <summary>Returns the central difference of <see cref="Loss"/> with respect to one parameter element.</summary>
    public double FiniteDifference(Parameter parameter, int index, IReadOnlyDictionary<string, float[]> inputs, IReadOnlyDictionary<string, Array> targets, IReadOnlyDictionary<string, float[]>? sampleWeights = null, double step = 1e-6)
    {
        sampleWeights ??= new Dictionary<string, float[]>();
        double[] values = _values[parameter];
        double original = values[index];
        values[index] = original + step;
        double plus = Loss(inputs, targets, sampleWeights);
        values[index] = original - step;
        double minus = Loss(inputs, targets, sampleWeights);
        values[index] = original;
        return (plus - minus) / (2 * step);
    }

    // Returns each sample's loss: the mean over units for element-wise losses.
    private double[] HeadLosses(Layer head, HeadInfo info, Array target, int batch, Dictionary<Layer, double[][]> outputs)
    {
        double[][] y = Evaluate(head, outputs);
        var dense = head as DenseLayer;
        double[][] z = dense is null ? y : PreActivation(dense, outputs);
        Activation activation = dense?.Activation ?? Activation.Linear;
        int units = head.Size;
        var losses = new double[batch];
        for (int b = 0; b < batch; b++)
        {
            double sum = 0;
            switch (info.Loss)
            {
                case ModelGen.Loss.SparseCategoricalCrossEntropy:
                case ModelGen.Loss.CategoricalCrossEntropy:
                    double[] logits = activation is Activation.Softmax or Activation.Linear ? z[b] : y[b];
                    double max = logits.Max();
                    double logSum = Math.Log(logits.Sum(v => Math.Exp(v - max))) + max;
                    if (info.Loss == ModelGen.Loss.SparseCategoricalCrossEntropy)
                    {
                        losses[b] = logSum - logits[((int[])target)[b]];
                    }
                    else
                    {
                        float[] oneHot = (float[])target;
                        losses[b] = Enumerable.Range(0, units).Sum(c => oneHot[(b * units) + c] * (logSum - logits[c]));
                    }

                    continue;
            }

            float[] t = (float[])target;
            for (int u = 0; u < units; u++)
            {
                double label = t[(b * units) + u];
                double d = y[b][u] - label;
                sum += info.Loss switch
                {
                    ModelGen.Loss.MeanSquaredError => d * d,
                    ModelGen.Loss.MeanAbsoluteError => Math.Abs(d),
                    ModelGen.Loss.Huber => Math.Abs(d) <= info.HuberDelta ? 0.5 * d * d : info.HuberDelta * (Math.Abs(d) - (0.5 * info.HuberDelta)),
                    _ when activation == Activation.Sigmoid => Math.Log(1 + Math.Exp(-z[b][u])) + ((1 - label) * z[b][u]),
                    _ => -((label * Math.Log(Math.Clamp(y[b][u], 1e-7, 1 - 1e-7))) + ((1 - label) * Math.Log(1 - Math.Clamp(y[b][u], 1e-7, 1 - 1e-7)))),
                };
            }

            losses[b] = sum / units;
        }

        return losses;
    }

    private double[][] Evaluate(Layer layer, Dictionary<Layer, double[][]> outputs)
    {
        if (outputs.TryGetValue(layer, out double[][]? cached))
        {
            return cached;
        }

        double[][] result = layer switch
        {
            DenseLayer dense => PreActivation(dense, outputs).Select(row => Activate(dense.Activation, dense.NegativeSlope, row)).ToArray(),
            DropoutLayer dropout when dropout.Rate == 0 => Evaluate(dropout.Sources[0], outputs),
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

    private static double[] Activate(Activation activation, double slope, double[] z)
    {
        switch (activation)
        {
            case Activation.Linear:
                return z;
            case Activation.Relu:
                return z.Select(v => Math.Max(v, 0)).ToArray();
            case Activation.LeakyRelu:
                return z.Select(v => v > 0 ? v : slope * v).ToArray();
            case Activation.Softplus:
                return z.Select(v => Math.Log(1 + Math.Exp(v))).ToArray();
            case Activation.Gelu:
                return z.Select(v => 0.5 * v * (1 + Erf(v / Math.Sqrt(2)))).ToArray();
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

    // The Maclaurin series of erf, summed until the terms vanish; accurate to about 1e-13 for |x| < 3, the range
    // the tests use. It is independent of the rational approximation in the kernels.
    private static double Erf(double x)
    {
        if (Math.Abs(x) >= 3)
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "The reference erf is accurate only for |x| < 3.");
        }

        double term = x, sum = x;
        for (int n = 1; n < 200 && Math.Abs(term) > 1e-17; n++)
        {
            term *= -x * x / n;
            sum += term / ((2 * n) + 1);
        }

        return 2 / Math.Sqrt(Math.PI) * sum;
    }
}
