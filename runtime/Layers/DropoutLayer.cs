using System;
using ModelGen.Initialization;

namespace ModelGen;

/// <summary>
/// Inverted dropout: during training calls each value is zeroed with probability <see cref="Rate"/> and the
/// others are scaled by <c>1 / (1 - Rate)</c>; <c>Predict</c> passes values through. The mask of a training call
/// depends only on the seed, the layer name and the number of completed training calls, so a rejected call
/// does not change later masks.
/// </summary>
public sealed class DropoutLayer : Layer
{
    private readonly ulong _stream;

    /// <summary>Creates a dropout layer over <paramref name="source"/>.</summary>
    /// <param name="name">Property name of the layer.</param>
    /// <param name="source">The layer or input it reads.</param>
    /// <param name="rate">Probability of zeroing each value, in [0, 1).</param>
    /// <param name="seed">Model seed.</param>
    public DropoutLayer(string name, Layer source, double rate, int seed)
        : base(name, (source ?? throw new ArgumentNullException(nameof(source))).Size, [source])
    {
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
        }

        Rate = rate;
        _stream = WeightInitializer.MixSeed(seed, name);
    }

    /// <summary>Probability of zeroing each value.</summary>
    public double Rate { get; }

    /// <summary>Training calls completed; the next call's mask is derived from this count.</summary>
    public long CompletedCalls { get; private set; }

    /// <summary>Fills <paramref name="mask"/> with 0 or <c>1 / (1 - Rate)</c> for the current training call.</summary>
    /// <param name="mask">Destination, one factor per value.</param>
    public void FillMask(Span<float> mask)
    {
        var random = new SplitMix64(_stream + ((ulong)CompletedCalls * 0xD1B54A32D192ED03UL));
        float keep = (float)(1.0 / (1.0 - Rate));
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = random.NextDouble() < Rate ? 0f : keep;
        }
    }

    /// <summary>Moves to the next call's mask; the generated code calls it when a training call succeeds.</summary>
    public void CompleteCall() => CompletedCalls++;
}
