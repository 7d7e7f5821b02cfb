using System;

namespace ModelGen.Bench.References;

/// <summary>Loss of a head of a <see cref="ReferenceNetwork"/>.</summary>
public enum ReferenceLoss
{
    /// <summary>Mean squared error on a linear layer.</summary>
    MeanSquaredError,

    /// <summary>Sparse categorical cross-entropy on softmax of the layer's logits.</summary>
    SoftmaxCrossEntropy,
}

/// <summary>
/// A hand-written network of the shape ModelGen generates for the benchmarks: a trunk of ReLU dense layers and
/// linear heads on its last layer, trained with Adam (PyTorch's update and defaults). Weights are [units,
/// inputs] row-major as in ModelGen. Subclasses supply the arithmetic, so the scalar and the
/// TensorPrimitives peers share everything else. All buffers are allocated once, for one batch size.
/// </summary>
public abstract class ReferenceNetwork
{
    private readonly DenseWeights[] _trunk;
    private readonly DenseWeights[] _heads;
    private readonly ReferenceLoss[] _losses;
    private readonly float[][] _activations;
    private readonly float[][] _activationGradients;
    private readonly float[][] _headOutputs;
    private readonly float[][] _headGradients;
    private readonly int _batch;

    /// <summary>Creates the network with deterministic pseudo-random weights.</summary>
    /// <param name="inputs">Input features.</param>
    /// <param name="trunk">Units of each trunk layer.</param>
    /// <param name="heads">Units and loss of each head.</param>
    /// <param name="batch">Batch size of every call.</param>
    /// <param name="seed">Seed of the weights.</param>
    protected ReferenceNetwork(int inputs, int[] trunk, (int Units, ReferenceLoss Loss)[] heads, int batch, int seed)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        ArgumentNullException.ThrowIfNull(heads);
        var random = new Random(seed);
        _batch = batch;
        _trunk = new DenseWeights[trunk.Length];
        _activations = new float[trunk.Length + 1][];
        _activationGradients = new float[trunk.Length + 1][];
        int size = inputs;
        _activations[0] = [];
        _activationGradients[0] = [];
        for (int l = 0; l < trunk.Length; l++)
        {
            _trunk[l] = new DenseWeights(size, trunk[l], random);
            _activations[l + 1] = new float[batch * trunk[l]];
            _activationGradients[l + 1] = new float[batch * trunk[l]];
            size = trunk[l];
        }

        _heads = new DenseWeights[heads.Length];
        _losses = new ReferenceLoss[heads.Length];
        _headOutputs = new float[heads.Length][];
        _headGradients = new float[heads.Length][];
        for (int h = 0; h < heads.Length; h++)
        {
            _heads[h] = new DenseWeights(size, heads[h].Units, random);
            _losses[h] = heads[h].Loss;
            _headOutputs[h] = new float[batch * heads[h].Units];
            _headGradients[h] = new float[batch * heads[h].Units];
        }
    }

    /// <summary>
    /// Runs one training step on the heads whose target is not null: forward, losses, backward, Adam.
    /// Returns the sum of the trained heads' losses.
    /// </summary>
    /// <param name="x">Inputs, [batch, inputs].</param>
    /// <param name="floatTargets">Per head: targets [batch, units] of a mean-squared-error head, or null.</param>
    /// <param name="labelTargets">Per head: labels [batch] of a cross-entropy head, or null.</param>
    public float Train(float[] x, float[]?[] floatTargets, int[]?[] labelTargets)
    {
        ArgumentNullException.ThrowIfNull(floatTargets);
        ArgumentNullException.ThrowIfNull(labelTargets);
        _activations[0] = x;
        ForwardTrunk();
        float total = 0f;
        int last = _trunk.Length;
        Array.Clear(_activationGradients[last]);
        for (int h = 0; h < _heads.Length; h++)
        {
            if (floatTargets[h] is null && labelTargets[h] is null)
            {
                continue;
            }

            DenseWeights head = _heads[h];
            DenseForward(_activations[last], head.Weights, head.Bias, _headOutputs[h], _batch, head.Inputs, head.Units);
            total += _losses[h] == ReferenceLoss.MeanSquaredError
                ? MeanSquaredError(_headOutputs[h], floatTargets[h]!, _headGradients[h])
                : SoftmaxCrossEntropy(_headOutputs[h], labelTargets[h]!, _headGradients[h], head.Units);
            DenseBackward(_activations[last], head.Weights, _headGradients[h], head.WeightGradient, head.BiasGradient, _activationGradients[last], _batch, head.Inputs, head.Units);
            head.Trained = true;
        }

        for (int l = last; l >= 1; l--)
        {
            DenseWeights layer = _trunk[l - 1];
            ReluBackward(_activations[l], _activationGradients[l]);
            float[]? dx = l > 1 ? _activationGradients[l - 1] : null;
            if (dx is not null)
            {
                Array.Clear(dx);
            }

            DenseBackward(_activations[l - 1], layer.Weights, _activationGradients[l], layer.WeightGradient, layer.BiasGradient, dx, _batch, layer.Inputs, layer.Units);
            layer.Trained = true;
        }

        foreach (DenseWeights layer in _trunk)
        {
            layer.Update(this);
        }

        foreach (DenseWeights head in _heads)
        {
            if (head.Trained)
            {
                head.Update(this);
            }
        }

        return total;
    }

    /// <summary>Computes the outputs of every head for a batch of <paramref name="batch"/> samples.</summary>
    /// <param name="x">Inputs, [batch, inputs].</param>
    /// <param name="outputs">Per head, receives [batch, units] outputs (softmax probabilities for a cross-entropy head).</param>
    /// <param name="batch">Samples in <paramref name="x"/>; at most the batch size of the network.</param>
    public void Predict(float[] x, float[][] outputs, int batch)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        _activations[0] = x;
        for (int l = 0; l < _trunk.Length; l++)
        {
            DenseWeights layer = _trunk[l];
            DenseForward(_activations[l], layer.Weights, layer.Bias, _activations[l + 1], batch, layer.Inputs, layer.Units);
            Relu(_activations[l + 1].AsSpan(0, batch * layer.Units));
        }

        for (int head = 0; head < _heads.Length; head++)
        {
            DenseWeights h = _heads[head];
            DenseForward(_activations[_trunk.Length], h.Weights, h.Bias, outputs[head], batch, h.Inputs, h.Units);
            if (_losses[head] == ReferenceLoss.SoftmaxCrossEntropy)
            {
                for (int b = 0; b < batch; b++)
                {
                    Softmax(outputs[head].AsSpan(b * h.Units, h.Units));
                }
            }
        }
    }

    /// <summary>Computes <c>y[b, o] = Σ_i w[o, i]·x[b, i] + bias[o]</c>.</summary>
    protected abstract void DenseForward(float[] x, float[] weights, float[] bias, float[] y, int batch, int inputs, int units);

    /// <summary>Writes dW and db, and adds the input gradient to <paramref name="dx"/> unless it is null.</summary>
    protected abstract void DenseBackward(float[] x, float[] weights, float[] dz, float[] weightGradient, float[] biasGradient, float[]? dx, int batch, int inputs, int units);

    /// <summary>Applies ReLU in place.</summary>
    protected abstract void Relu(Span<float> values);

    /// <summary>Multiplies <paramref name="gradient"/> by the ReLU derivative at <paramref name="y"/>, in place.</summary>
    protected abstract void ReluBackward(float[] y, float[] gradient);

    /// <summary>Applies one Adam update, the <paramref name="stepCount"/>-th of the tensor, to <paramref name="values"/>.</summary>
    protected abstract void Adam(float[] values, float[] gradient, float[] m, float[] v, int stepCount);

    private void ForwardTrunk()
    {
        for (int l = 0; l < _trunk.Length; l++)
        {
            DenseWeights layer = _trunk[l];
            DenseForward(_activations[l], layer.Weights, layer.Bias, _activations[l + 1], _batch, layer.Inputs, layer.Units);
            Relu(_activations[l + 1]);
        }
    }

    private float MeanSquaredError(float[] y, float[] target, float[] gradient)
    {
        float scale = 2f / y.Length;
        float sum = 0f;
        for (int i = 0; i < y.Length; i++)
        {
            float difference = y[i] - target[i];
            sum += difference * difference;
            gradient[i] = scale * difference;
        }

        return sum / y.Length;
    }

    private float SoftmaxCrossEntropy(float[] logits, int[] labels, float[] gradient, int classes)
    {
        float sum = 0f;
        for (int b = 0; b < _batch; b++)
        {
            Span<float> row = gradient.AsSpan(b * classes, classes);
            logits.AsSpan(b * classes, classes).CopyTo(row);
            Softmax(row);
            sum -= MathF.Log(row[labels[b]]);
            row[labels[b]] -= 1f;
            for (int c = 0; c < classes; c++)
            {
                row[c] /= _batch;
            }
        }

        return sum / _batch;
    }

    private static void Softmax(Span<float> row)
    {
        float max = float.NegativeInfinity;
        foreach (float value in row)
        {
            max = MathF.Max(max, value);
        }

        float sum = 0f;
        for (int i = 0; i < row.Length; i++)
        {
            row[i] = MathF.Exp(row[i] - max);
            sum += row[i];
        }

        for (int i = 0; i < row.Length; i++)
        {
            row[i] /= sum;
        }
    }

    private sealed class DenseWeights
    {
        private readonly float[] _weightM, _weightV, _biasM, _biasV;
        private int _step;

        public DenseWeights(int inputs, int units, Random random)
        {
            Inputs = inputs;
            Units = units;
            Weights = new float[units * inputs];
            float limit = MathF.Sqrt(6f / (inputs + units));
            for (int i = 0; i < Weights.Length; i++)
            {
                Weights[i] = ((random.NextSingle() * 2f) - 1f) * limit;
            }

            Bias = new float[units];
            WeightGradient = new float[units * inputs];
            BiasGradient = new float[units];
            _weightM = new float[units * inputs];
            _weightV = new float[units * inputs];
            _biasM = new float[units];
            _biasV = new float[units];
        }

        public int Inputs { get; }

        public int Units { get; }

        public float[] Weights { get; }

        public float[] Bias { get; }

        public float[] WeightGradient { get; }

        public float[] BiasGradient { get; }

        public bool Trained { get; set; }

        public void Update(ReferenceNetwork network)
        {
            _step++;
            network.Adam(Weights, WeightGradient, _weightM, _weightV, _step);
            network.Adam(Bias, BiasGradient, _biasM, _biasV, _step);
            Trained = false;
        }
    }
}
