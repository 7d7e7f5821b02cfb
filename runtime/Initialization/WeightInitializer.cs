using System;

namespace ModelGen.Initialization;

/// <summary>Deterministic weight initialisers: the same arguments give the same bits on every run and machine.</summary>
public static class WeightInitializer
{
    /// <summary>
    /// Fills <paramref name="weights"/> from U(-limit, limit) with <c>limit = sqrt(6 / (fanIn + fanOut))</c>.
    /// The random stream is SplitMix64 seeded from <paramref name="seed"/> and the FNV-1a hash of
    /// <paramref name="streamName"/>, so it does not depend on the .NET version's <see cref="Random"/>.
    /// </summary>
    /// <param name="weights">Tensor to fill.</param>
    /// <param name="fanIn">Inputs per unit.</param>
    /// <param name="fanOut">Units.</param>
    /// <param name="seed">Model seed.</param>
    /// <param name="streamName">Name that separates this tensor's stream from others of the same seed.</param>
    public static void GlorotUniform(Span<float> weights, int fanIn, int fanOut, int seed, string streamName)
    {
        ArgumentNullException.ThrowIfNull(streamName);
        double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        var random = new SplitMix64(MixSeed(seed, streamName));
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)((2.0 * random.NextDouble() - 1.0) * limit);
        }
    }

    internal static ulong MixSeed(int seed, string streamName)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in streamName)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash ^ ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL);
    }
}

/// <summary>
/// The SplitMix64 generator (Steele, Lea and Flood, 2014): small, fast, and fully specified, so its sequence
/// is the same everywhere.
/// </summary>
public struct SplitMix64
{
    private ulong _state;

    /// <summary>Starts a stream at <paramref name="seed"/>.</summary>
    /// <param name="seed">Initial state.</param>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>Returns the next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Returns a double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Returns an integer in [0, <paramref name="maxExclusive"/>).</summary>
    /// <param name="maxExclusive">Upper bound; must be positive.</param>
    public int NextInt32(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)((NextUInt64() >> 33) % (ulong)maxExclusive);
    }
}
