using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ModelGen.Analyzers.Flow;

/// <summary>Invocations: calls of generated methods, NaN tests, the library methods that create or fill buffers, and the rest.</summary>
internal sealed partial class ValueFlowAnalysis
{
    /// <summary>Methods whose call tests a value for NaN (on float, double, or any type with such a method).</summary>
    private static readonly HashSet<string> NaNTestNames =
    [
        "IsNaN", "IsFinite", "IsInfinity", "IsPositiveInfinity", "IsNegativeInfinity", "IsNormal", "IsSubnormal", "IsRealNumber",
        "IndexOfAnyExceptInRange", "ContainsAnyExceptInRange", "IndexOfAnyInRange", "ContainsAnyInRange",
    ];

    /// <summary>Methods that find or replace a value, which test for NaN when given a NaN constant.</summary>
    private static readonly HashSet<string> SearchNames =
    [
        "Contains", "IndexOf", "LastIndexOf", "Replace", "Remove", "Count", "ContainsAny", "IndexOfAny",
    ];

    /// <summary>Instance methods of arrays and lists that do not change the receiver.</summary>
    private static readonly HashSet<string> ReadOnlyInstanceMethods =
    [
        "GetEnumerator", "GetValue", "GetLength", "GetLongLength", "GetLowerBound", "GetUpperBound", "CopyTo", "Clone",
        "Contains", "IndexOf", "LastIndexOf", "Find", "FindIndex", "FindLast", "FindLastIndex", "FindAll", "Exists",
        "TrueForAll", "ConvertAll", "GetRange", "ToArray", "BinarySearch", "Equals", "GetHashCode", "ToString", "GetType",
        "AsReadOnly", "Slice", "TryCopyTo",
    ];

    private AbstractValue EvaluateInvocation(IInvocationOperation invocation)
    {
        AbstractValue receiver = Evaluate(invocation.Instance);
        AbstractValue[] arguments = EvaluateAll(ArgumentValues(invocation.Arguments));
        IMethodSymbol method = invocation.TargetMethod;

        ModelMethod? model = _symbols.GetModelMethod(method);
        bool throughDelegate = false;
        if (model is null && method.MethodKind == MethodKind.DelegateInvoke && receiver.DelegateTarget is { IsExtensionMethod: false } target)
        {
            model = _symbols.GetModelMethod(target);
            throughDelegate = model is not null;
        }

        if (model is not null)
        {
            Record(invocation, invocation.Arguments, model, arguments, throughDelegate);
            EscapeArguments(invocation.Arguments, arguments);
            return NotNull;
        }

        ImmutableSortedSet<int> sources = Collect(receiver).Union(Collect(arguments));
        if (IsNaNTest(invocation, arguments))
        {
            ClearChecked(receiver);
            foreach (AbstractValue argument in arguments)
            {
                ClearChecked(argument);
            }

            return NotNull.WithSources(sources);
        }

        if (TryEvaluateLibraryCall(invocation, receiver, arguments, out AbstractValue result))
        {
            return result;
        }

        EscapeArguments(invocation.Arguments, arguments);
        if (invocation.Instance is { Type.IsValueType: false } instance && !ReadOnlyInstanceMethods.Contains(method.Name))
        {
            Escape(instance, receiver);
        }

        if (!IsInSystemNamespace(method))
        {
            ResetFields();
        }

        return AbstractValue.Unknown.WithSources(sources);
    }

    /// <summary>Records a call of a generated method or constructor with the values of its arguments.</summary>
    private void Record(IOperation call, ImmutableArray<IArgumentOperation> operations, ModelMethod model, AbstractValue[] arguments, bool throughDelegate)
    {
        var record = new CallRecord(call, model, throughDelegate);
        for (int i = 0; i < operations.Length; i++)
        {
            if (operations[i].Parameter is { } parameter && parameter.Ordinal < record.Values.Length)
            {
                record.Values[parameter.Ordinal] = arguments[i];
                record.Arguments[parameter.Ordinal] = operations[i];
            }
        }

        // A block is evaluated again whenever its input changes, so the last record of a call holds the final state.
        _calls[call.Syntax] = record;
    }

    /// <summary>Forgets NaN content of buffers passed where the callee may write into them.</summary>
    private void EscapeArguments(ImmutableArray<IArgumentOperation> operations, AbstractValue[] values)
    {
        for (int i = 0; i < operations.Length; i++)
        {
            IParameterSymbol? parameter = operations[i].Parameter;
            if (parameter is null || parameter.RefKind is RefKind.Ref or RefKind.Out || _symbols.MayWriteThrough(parameter.Type))
            {
                Escape(operations[i].Value, values[i]);
            }
        }
    }

    private bool IsNaNTest(IInvocationOperation invocation, AbstractValue[] arguments)
    {
        string name = invocation.TargetMethod.Name;
        if (NaNTestNames.Contains(name))
        {
            return true;
        }

        for (int i = 0; i < arguments.Length; i++)
        {
            IOperation value = Strip(invocation.Arguments[i].Value);
            if (SearchNames.Contains(name) && arguments[i].NaN == NaNContent.All && IsFloatingPoint(value.Type))
            {
                return true;
            }

            // A predicate such as float.IsNaN or v => float.IsFinite(v), e.g. in Array.Exists or Enumerable.Any.
            if (value is IDelegateCreationOperation creation && DelegateTestsNaN(creation.Target))
            {
                return true;
            }
        }

        return false;
    }

    private bool DelegateTestsNaN(IOperation target)
    {
        switch (target)
        {
            case IMethodReferenceOperation reference:
                return NaNTestNames.Contains(reference.Method.Name);
            case IFlowAnonymousFunctionOperation lambda:
                ControlFlowGraph graph = _graph.GetAnonymousFunctionControlFlowGraph(lambda, _cancellationToken);
                foreach (BasicBlock block in graph.Blocks)
                {
                    foreach (IOperation root in OperationsOf(block))
                    {
                        foreach (IOperation operation in root.DescendantsAndSelf())
                        {
                            if (operation is IInvocationOperation call && NaNTestNames.Contains(call.TargetMethod.Name))
                            {
                                return true;
                            }

                            if (operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison
                                && IsFloatingPoint(comparison.LeftOperand.Type)
                                && IsSameExpression(comparison.LeftOperand, comparison.RightOperand))
                            {
                                return true;
                            }
                        }
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>Models the library methods that create, fill, slice or copy float buffers.</summary>
    private bool TryEvaluateLibraryCall(IInvocationOperation invocation, AbstractValue receiver, AbstractValue[] arguments, out AbstractValue result)
    {
        IMethodSymbol method = invocation.TargetMethod;
        ImmutableArray<IArgumentOperation> operations = invocation.Arguments;
        result = NotNull;
        if (ModelGenSymbols.IsDeclaredIn(method, _symbols.Enumerable))
        {
            switch (method.Name)
            {
                case "Repeat" when arguments.Length == 2:
                    NaNContent element = ScalarContent(arguments[0]);
                    result = ConstantInt(operations[1].Value) == 0
                        ? AbstractValue.NewBuffer(NaNContent.None, null)
                        : AbstractValue.NewBuffer(element == NaNContent.All ? NaNContent.All : element, null);
                    return true;
                case "ToArray" or "ToList" when arguments.Length == 1:
                    result = CopyOf(arguments[0]);
                    return true;
                case "AsEnumerable" when arguments.Length == 1:
                    result = arguments[0];
                    return true;
                default:
                    return false;
            }
        }

        if (ModelGenSymbols.IsDeclaredIn(method, _symbols.Array))
        {
            switch (method.Name)
            {
                case "Fill" when arguments.Length == 2:
                    Fill(operations[0].Value, arguments[0], ScalarContent(arguments[1]), partial: false, certainlyNonEmpty: false);
                    return true;
                case "Fill" when arguments.Length == 4:
                    Fill(operations[0].Value, arguments[0], ScalarContent(arguments[1]), partial: true, certainlyNonEmpty: ConstantInt(operations[3].Value) > 0);
                    return true;
                case "Clear" when arguments.Length is 1 or 3:
                    Fill(operations[0].Value, arguments[0], NaNContent.None, partial: arguments.Length == 3, certainlyNonEmpty: false);
                    return true;
                case "Empty":
                    result = AbstractValue.NewBuffer(NaNContent.None, null);
                    return true;
                case "Clone" when invocation.Instance is not null:
                    result = CopyOf(receiver);
                    return true;
                default:
                    return false;
            }
        }

        if (ModelGenSymbols.IsDeclaredIn(method, _symbols.MemoryExtensions) && method.Name is "AsSpan" && arguments.Length >= 1)
        {
            result = arguments.Length switch
            {
                1 => arguments[0],
                2 when operations[1].Value.Type?.SpecialType == SpecialType.System_Int32 => SliceOf(arguments[0], ConstantInt(operations[1].Value), null, toEnd: true),
                3 => SliceOf(arguments[0], ConstantInt(operations[1].Value), ConstantInt(operations[2].Value), toEnd: false),
                _ => SliceOf(arguments[0], null, null, toEnd: false),
            };
            return true;
        }

        bool isSpan = ModelGenSymbols.IsDeclaredIn(method, _symbols.Span) || ModelGenSymbols.IsDeclaredIn(method, _symbols.ReadOnlySpan);
        if (isSpan && invocation.Instance is { } span)
        {
            switch (method.Name)
            {
                case "Fill" when arguments.Length == 1:
                    Fill(span, receiver, ScalarContent(arguments[0]), partial: false, certainlyNonEmpty: false);
                    return true;
                case "Clear" when arguments.Length == 0:
                    Fill(span, receiver, NaNContent.None, partial: false, certainlyNonEmpty: false);
                    return true;
                case "Slice" when arguments.Length is 1 or 2:
                    result = SliceOf(receiver, ConstantInt(operations[0].Value), arguments.Length == 2 ? ConstantInt(operations[1].Value) : null, toEnd: arguments.Length == 1);
                    return true;
                case "ToArray" when arguments.Length == 0:
                    result = CopyOf(receiver);
                    return true;
                default:
                    return false;
            }
        }

        if (ModelGenSymbols.IsDeclaredIn(method, _symbols.List) && invocation.Instance is { } list)
        {
            switch (method.Name)
            {
                case "Add" when arguments.Length == 1:
                    NaNContent added = ScalarContent(arguments[0]);
                    Mutate(list, receiver, (buffer, _) => Append(buffer, added));
                    return true;
                case "AddRange" when arguments.Length == 1:
                    NaNContent range = arguments[0].NaN == NaNContent.None ? NaNContent.None : NaNContent.Maybe;
                    Mutate(list, receiver, (buffer, _) => Append(buffer, range));
                    return true;
                case "Clear" when arguments.Length == 0:
                    Fill(list, receiver, NaNContent.None, partial: false, certainlyNonEmpty: false);
                    return true;
                case "ToArray" when arguments.Length == 0:
                    result = CopyOf(receiver);
                    return true;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>Returns a list after an element of NaN content <paramref name="added"/> is appended.</summary>
    private static AbstractValue Append(AbstractValue list, NaNContent added) => added switch
    {
        NaNContent.All => list.NaN == NaNContent.All ? list : list.WithNaN(NaNContent.Contains, null),
        NaNContent.None => list.NaN is NaNContent.All or NaNContent.Contains ? list.WithNaN(NaNContent.Contains, null) : list,
        _ => list.NaN is NaNContent.Contains ? list.WithNaN(NaNContent.Contains, null) : list.WithNaN(NaNContent.Maybe, null),
    };

    /// <summary>Returns a new buffer with the content of <paramref name="source"/>.</summary>
    private static AbstractValue CopyOf(AbstractValue source) =>
        new(Nullness.NotNull, source.NaN, source.NaNIndices, AbstractValue.NoAlias, false, null, Collect(source));

    /// <summary>Returns a slice that shares the buffer of <paramref name="buffer"/>.</summary>
    private static AbstractValue SliceOf(AbstractValue buffer, int? start, int? length, bool toEnd)
    {
        (NaNContent content, ImmutableSortedSet<int>? indices) = BufferTransfer.Slice(buffer, start, length, toEnd);
        return new AbstractValue(buffer.Nullness, content, indices, buffer.Alias, partialAlias: true, null, buffer.Sources);
    }

    private static bool IsInSystemNamespace(IMethodSymbol method)
    {
        INamespaceSymbol? outermost = method.ContainingNamespace;
        while (outermost is { ContainingNamespace.IsGlobalNamespace: false })
        {
            outermost = outermost.ContainingNamespace;
        }

        return outermost is { Name: "System" };
    }
}
