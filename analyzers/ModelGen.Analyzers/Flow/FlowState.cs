using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace ModelGen.Analyzers.Flow;

/// <summary>
/// Numbers the variables of one control flow graph: locals, parameters, fields of <c>this</c> or static fields,
/// and flow captures (the compiler's temporaries for conditional and compound expressions).
/// </summary>
internal sealed class VariableTable
{
    private readonly Dictionary<ISymbol, int> _symbols = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<CaptureId, int> _captures = [];
    private readonly List<bool> _isField = [];
    private readonly HashSet<int> _untracked = [];

    public int Count => _isField.Count;

    public int GetOrAdd(ISymbol symbol)
    {
        if (!_symbols.TryGetValue(symbol, out int id))
        {
            id = Add(symbol is IFieldSymbol);
            _symbols.Add(symbol, id);
        }

        return id;
    }

    public int GetOrAdd(CaptureId capture)
    {
        if (!_captures.TryGetValue(capture, out int id))
        {
            id = Add(isField: false);
            _captures.Add(capture, id);
        }

        return id;
    }

    /// <summary>Returns the id of a tracked variable, or -1 for one that is unknown or not tracked.</summary>
    public int Find(ISymbol symbol) =>
        _symbols.TryGetValue(symbol, out int id) && !_untracked.Contains(id) ? id : -1;

    /// <inheritdoc cref="Find(ISymbol)"/>
    public int Find(CaptureId capture) =>
        _captures.TryGetValue(capture, out int id) && !_untracked.Contains(id) ? id : -1;

    public bool IsField(int id) => _isField[id];

    /// <summary>Stops tracking a variable, whose value the analysis cannot follow (ref, captured, written in a handler).</summary>
    public void Untrack(ISymbol symbol) => _untracked.Add(GetOrAdd(symbol));

    private int Add(bool isField)
    {
        _isField.Add(isField);
        return _isField.Count - 1;
    }
}

/// <summary>Abstract values of every variable of a graph at one program point.</summary>
internal sealed class FlowState : IEquatable<FlowState>
{
    private readonly AbstractValue[] _values;

    public FlowState(int count)
    {
        _values = new AbstractValue[count];
        for (int i = 0; i < count; i++)
        {
            _values[i] = AbstractValue.Unknown;
        }
    }

    private FlowState(AbstractValue[] values) => _values = values;

    public int Count => _values.Length;

    public AbstractValue this[int id]
    {
        get => _values[id];
        set => _values[id] = value;
    }

    public FlowState Clone() => new((AbstractValue[])_values.Clone());

    /// <summary>Joins <paramref name="other"/> into this state; returns whether anything changed.</summary>
    public bool JoinWith(FlowState other)
    {
        bool changed = false;
        for (int i = 0; i < _values.Length; i++)
        {
            AbstractValue joined = AbstractValue.Join(_values[i], other._values[i]);
            if (!joined.Equals(_values[i]))
            {
                _values[i] = joined;
                changed = true;
            }
        }

        return changed;
    }

    public bool Equals(FlowState? other)
    {
        if (other is null || other._values.Length != _values.Length)
        {
            return false;
        }

        for (int i = 0; i < _values.Length; i++)
        {
            if (!_values[i].Equals(other._values[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as FlowState);

    public override int GetHashCode() => _values.Length;
}
