using System.Collections.Immutable;

namespace ModelGen.Analyzers.Flow;

/// <summary>
/// How writes change what is known about NaN in a buffer (array, span or list). The rules lean towards
/// forgetting: a write that might replace NaN values clears or weakens what was known, so that code which
/// repairs its data is not reported.
/// </summary>
internal static class BufferTransfer
{
    /// <summary>
    /// Returns <paramref name="buffer"/> after one element is set to a value with NaN content
    /// <paramref name="element"/>, at constant position <paramref name="index"/> or, when null, at a position the
    /// analysis does not know (typically a loop over the buffer).
    /// </summary>
    public static AbstractValue WriteElement(AbstractValue buffer, NaNContent element, int? index)
    {
        ImmutableSortedSet<int>? may = AbstractValue.MayIndices(buffer);
        if (element == NaNContent.All)
        {
            return buffer.NaN switch
            {
                NaNContent.All => buffer,
                NaNContent.Contains => buffer.WithNaN(NaNContent.Contains, Add(may, index)),
                NaNContent.Maybe => buffer.WithNaN(NaNContent.Maybe, Add(may, index)),
                _ => buffer.WithNaN(NaNContent.Maybe, index is int k ? ImmutableSortedSet.Create(k) : null),
            };
        }

        if (element != NaNContent.None)
        {
            if (index is not int position)
            {
                return buffer.WithNaN(NaNContent.Maybe, null);
            }

            return buffer.NaN switch
            {
                NaNContent.All => buffer.WithNaN(NaNContent.Maybe, null),
                NaNContent.Contains when may is null || may.Contains(position) => buffer.WithNaN(NaNContent.Maybe, Add(may, index)),
                NaNContent.Contains => buffer.WithNaN(NaNContent.Contains, may.Add(position)),
                NaNContent.Maybe => buffer.WithNaN(NaNContent.Maybe, Add(may, index)),
                _ => buffer.WithNaN(NaNContent.Maybe, ImmutableSortedSet.Create(position)),
            };
        }

        // A finite (or ordinary) value. At an unknown position it is most likely a loop that rewrites the buffer.
        if (index is not int replaced)
        {
            return buffer.WithNaN(NaNContent.None, null);
        }

        if (buffer.NaN == NaNContent.None)
        {
            return buffer;
        }

        if (buffer.NaN == NaNContent.All || may is null)
        {
            return buffer.WithNaN(NaNContent.Maybe, null);
        }

        if (!may.Contains(replaced))
        {
            return buffer;
        }

        ImmutableSortedSet<int> rest = may.Remove(replaced);
        return rest.IsEmpty ? buffer.WithNaN(NaNContent.None, null) : buffer.WithNaN(NaNContent.Maybe, rest);
    }

    /// <summary>
    /// Returns <paramref name="buffer"/> after a fill with a value of NaN content <paramref name="element"/>: of the
    /// whole buffer, or of a part (<paramref name="partial"/>) that is certainly non-empty when
    /// <paramref name="certainlyNonEmpty"/>.
    /// </summary>
    public static AbstractValue Fill(AbstractValue buffer, NaNContent element, bool partial, bool certainlyNonEmpty)
    {
        if (!partial)
        {
            return element switch
            {
                NaNContent.All => buffer.WithNaN(NaNContent.All, null),
                NaNContent.None => buffer.WithNaN(NaNContent.None, null),
                _ => buffer.WithNaN(NaNContent.Maybe, null),
            };
        }

        if (element == NaNContent.All)
        {
            return buffer.NaN == NaNContent.All
                ? buffer
                : buffer.WithNaN(certainlyNonEmpty ? NaNContent.Contains : NaNContent.Maybe, null);
        }

        if (element != NaNContent.None)
        {
            return buffer.WithNaN(NaNContent.Maybe, null);
        }

        return buffer.NaN switch
        {
            NaNContent.None => buffer,
            NaNContent.All => buffer.WithNaN(NaNContent.Maybe, null),
            _ => buffer.WithNaN(NaNContent.Maybe, buffer.NaNIndices),
        };
    }

    /// <summary>Returns what an element read from <paramref name="buffer"/> holds.</summary>
    public static NaNContent ElementOf(AbstractValue buffer) => buffer.NaN switch
    {
        NaNContent.All => NaNContent.All,
        NaNContent.None => NaNContent.None,
        _ => NaNContent.Maybe,
    };

    /// <summary>
    /// Returns the NaN content of a slice of <paramref name="buffer"/> starting at <paramref name="start"/> with
    /// <paramref name="length"/> elements (null: to the end); null positions are not constant.
    /// </summary>
    public static (NaNContent, ImmutableSortedSet<int>?) Slice(AbstractValue buffer, int? start, int? length, bool toEnd)
    {
        if (buffer.NaN is NaNContent.None or NaNContent.All)
        {
            return (buffer.NaN, null);
        }

        if (start is not int first || buffer.NaNIndices is null || (length is null && !toEnd))
        {
            return (NaNContent.Maybe, null);
        }

        int end = length is int count ? first + count : int.MaxValue;
        ImmutableSortedSet<int>.Builder inside = ImmutableSortedSet.CreateBuilder<int>();
        foreach (int position in buffer.NaNIndices)
        {
            if (position >= first && position < end)
            {
                inside.Add(position - first);
            }
        }

        if (inside.Count == 0)
        {
            return (NaNContent.None, null);
        }

        // The slice keeps the certainty only when it contains every position that may be NaN.
        NaNContent kind = inside.Count == buffer.NaNIndices.Count ? buffer.NaN : NaNContent.Maybe;
        return (kind, inside.ToImmutable());
    }

    private static ImmutableSortedSet<int>? Add(ImmutableSortedSet<int>? set, int? index) =>
        set is null || index is not int position ? null : set.Add(position);
}
