using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ModelGen.Analyzers.Flow;

/// <summary>What is known about whether a value is null.</summary>
internal enum Nullness : byte
{
    Unknown,
    Null,
    NotNull,
}

/// <summary>
/// What is known about NaN in a value. For a buffer (array, span, list) it describes the elements; for a
/// floating-point scalar, <see cref="All"/> means the value is NaN.
/// </summary>
internal enum NaNContent : byte
{
    /// <summary>No NaN written in this method: ordinary data.</summary>
    None,

    /// <summary>A NaN was written on some path, or into elements that later writes may have replaced.</summary>
    Maybe,

    /// <summary>At least one element is NaN on every path.</summary>
    Contains,

    /// <summary>Every element is NaN.</summary>
    All,
}

/// <summary>
/// The abstract value of a variable or expression in the data-flow analysis: nullness, NaN content, the variable
/// whose buffer it shares, the method a delegate calls, and the variables it was read from.
/// </summary>
internal readonly struct AbstractValue : IEquatable<AbstractValue>
{
    /// <summary><see cref="Alias"/> of a value that shares no tracked variable's buffer.</summary>
    public const int NoAlias = -1;

    /// <summary><see cref="Alias"/> of a value that shares the buffer of one of several variables, depending on the path.</summary>
    public const int AmbiguousAlias = -2;

    public static readonly AbstractValue Unknown = new(Nullness.Unknown, NaNContent.None, null, NoAlias, false, null, ImmutableSortedSet<int>.Empty);

    public AbstractValue(
        Nullness nullness,
        NaNContent nan,
        ImmutableSortedSet<int>? nanIndices,
        int alias,
        bool partialAlias,
        IMethodSymbol? delegateTarget,
        ImmutableSortedSet<int>? sources,
        bool nanChecked = false)
    {
        NaNChecked = nanChecked;
        Nullness = nullness;
        NaN = nan;
        NaNIndices = nan is NaNContent.None or NaNContent.All ? null : nanIndices;
        Alias = alias;
        PartialAlias = partialAlias && alias != NoAlias;
        DelegateTarget = delegateTarget;
        Sources = sources ?? ImmutableSortedSet<int>.Empty;
    }

    public Nullness Nullness { get; }

    public NaNContent NaN { get; }

    /// <summary>Positions that may hold NaN, or null when any position may. Only for Maybe and Contains.</summary>
    public ImmutableSortedSet<int>? NaNIndices { get; }

    /// <summary>Id of the variable whose buffer this value shares, or <see cref="NoAlias"/> / <see cref="AmbiguousAlias"/>.</summary>
    public int Alias { get; }

    /// <summary>Whether the value is a slice of <see cref="Alias"/>'s buffer rather than the whole buffer.</summary>
    public bool PartialAlias { get; }

    /// <summary>Method that a delegate value calls, when known.</summary>
    public IMethodSymbol? DelegateTarget { get; }

    /// <summary>Ids of the variables this value was read from, directly or through other variables.</summary>
    public ImmutableSortedSet<int> Sources { get; }

    /// <summary>
    /// Whether a NaN test of this value ran on some path since NaN was last written into it. Joined with 'or', so
    /// that a test in a loop body counts after the loop although the loop may run zero times.
    /// </summary>
    public bool NaNChecked { get; }

    public bool IsNaNLike => NaN != NaNContent.None;

    public static AbstractValue Null => Unknown.WithNullness(Nullness.Null);

    public static AbstractValue NaNScalar => new(Nullness.NotNull, NaNContent.All, null, NoAlias, false, null, null);

    public static AbstractValue NewBuffer(NaNContent nan, ImmutableSortedSet<int>? indices) =>
        new(Nullness.NotNull, nan, indices, NoAlias, false, null, null);

    public static AbstractValue ForDelegate(IMethodSymbol target) =>
        new(Nullness.NotNull, NaNContent.None, null, NoAlias, false, target, null);

    public AbstractValue WithNullness(Nullness nullness) =>
        new(nullness, NaN, NaNIndices, Alias, PartialAlias, DelegateTarget, Sources, NaNChecked);

    public AbstractValue WithNaN(NaNContent nan, ImmutableSortedSet<int>? indices) =>
        new(Nullness, nan, indices, Alias, PartialAlias, DelegateTarget, Sources, NaNChecked);

    public AbstractValue WithContentOf(AbstractValue other) =>
        new(Nullness, other.NaN, other.NaNIndices, Alias, PartialAlias, DelegateTarget, Sources, other.NaNChecked);

    public AbstractValue WithAlias(int alias, bool partial) =>
        new(Nullness, NaN, NaNIndices, alias, partial, DelegateTarget, Sources, NaNChecked);

    public AbstractValue WithSources(ImmutableSortedSet<int> sources) =>
        new(Nullness, NaN, NaNIndices, Alias, PartialAlias, DelegateTarget, sources, NaNChecked);

    public AbstractValue WithNaNChecked(bool nanChecked) =>
        new(Nullness, NaN, NaNIndices, Alias, PartialAlias, DelegateTarget, Sources, nanChecked);

    public AbstractValue AddSources(ImmutableSortedSet<int> sources) =>
        sources.IsEmpty ? this : WithSources(Sources.Union(sources));

    /// <summary>Returns the least upper bound of two values, for the state where two paths meet.</summary>
    public static AbstractValue Join(AbstractValue a, AbstractValue b)
    {
        if (a.Equals(b))
        {
            return a;
        }

        Nullness nullness = a.Nullness == b.Nullness ? a.Nullness : Nullness.Unknown;
        (NaNContent nan, ImmutableSortedSet<int>? indices) = JoinNaN(a, b);
        int alias = a.Alias == b.Alias ? a.Alias : AmbiguousAlias;
        if (a.Alias == NoAlias && b.Alias == NoAlias)
        {
            alias = NoAlias;
        }

        IMethodSymbol? target = SymbolEqualityComparer.Default.Equals(a.DelegateTarget, b.DelegateTarget) ? a.DelegateTarget : null;
        return new AbstractValue(nullness, nan, indices, alias, a.PartialAlias || b.PartialAlias, target, a.Sources.Union(b.Sources), a.NaNChecked || b.NaNChecked);
    }

    private static (NaNContent, ImmutableSortedSet<int>?) JoinNaN(AbstractValue a, AbstractValue b)
    {
        if (a.NaN == b.NaN)
        {
            return (a.NaN, UnionIndices(a.NaNIndices, b.NaNIndices));
        }

        if (a.NaN == NaNContent.None || b.NaN == NaNContent.None)
        {
            AbstractValue other = a.NaN == NaNContent.None ? b : a;
            return (NaNContent.Maybe, other.NaN == NaNContent.All ? null : other.NaNIndices);
        }

        if (a.NaN == NaNContent.Maybe || b.NaN == NaNContent.Maybe)
        {
            return (NaNContent.Maybe, UnionIndices(MayIndices(a), MayIndices(b)));
        }

        // One is All and the other Contains: both certainly hold a NaN, at positions that only the All side does not limit.
        return (NaNContent.Contains, null);
    }

    /// <summary>Positions that may hold NaN, or null for any; an All value may hold NaN anywhere.</summary>
    public static ImmutableSortedSet<int>? MayIndices(AbstractValue value) =>
        value.NaN == NaNContent.All ? null : value.NaNIndices;

    private static ImmutableSortedSet<int>? UnionIndices(ImmutableSortedSet<int>? a, ImmutableSortedSet<int>? b) =>
        a is null || b is null ? null : a.Union(b);

    public bool Equals(AbstractValue other) =>
        Nullness == other.Nullness
        && NaN == other.NaN
        && Alias == other.Alias
        && PartialAlias == other.PartialAlias
        && NaNChecked == other.NaNChecked
        && SymbolEqualityComparer.Default.Equals(DelegateTarget, other.DelegateTarget)
        && SetEquals(NaNIndices, other.NaNIndices)
        && Sources.SetEquals(other.Sources);

    public override bool Equals(object? obj) => obj is AbstractValue other && Equals(other);

    public override int GetHashCode() => ((int)Nullness * 31) + ((int)NaN * 7) + Alias;

    private static bool SetEquals(ImmutableSortedSet<int>? a, ImmutableSortedSet<int>? b) =>
        a is null ? b is null : b is not null && a.SetEquals(b);
}
