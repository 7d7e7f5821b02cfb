using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ModelGen.Analyzers.Flow;

/// <summary>
/// A forward data-flow analysis over a <see cref="ControlFlowGraph"/> that follows, for every local, parameter,
/// field of <c>this</c> and flow capture, whether it is null and whether NaN was written into it, and records
/// the abstract value of every argument of a call to a generated ModelGen method.
/// </summary>
/// <remarks>
/// Variables the analysis cannot follow are left unknown: those passed by reference, captured by a lambda or
/// local function, or used in a catch, filter or finally block. Unknown values never produce a diagnostic.
/// </remarks>
internal sealed partial class ValueFlowAnalysis
{
    // Each block is visited again whenever its input state changes. The lattice is finite, so this bound only
    // guards against a graph that would take unreasonably long. A graph that hits it reports nothing.
    private const int MaxVisitsPerBlock = 64;

    private readonly ControlFlowGraph _graph;
    private readonly ModelGenSymbols _symbols;
    private readonly CancellationToken _cancellationToken;
    private readonly VariableTable _variables = new();
    private readonly Dictionary<SyntaxNode, CallRecord> _calls = [];
    private readonly HashSet<ISymbol> _referenced = new(SymbolEqualityComparer.Default);

    // Captures of a variable or element reference: an assignment to such a capture (as 'a ??= b' or
    // 't[i] = c ? v : w' produce) writes the variable or element.
    private readonly Dictionary<CaptureId, IOperation> _capturedReferences = [];
    private FlowState _state = null!;

    private ValueFlowAnalysis(ControlFlowGraph graph, ModelGenSymbols symbols, CancellationToken cancellationToken)
    {
        _graph = graph;
        _symbols = symbols;
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// Analyses <paramref name="graph"/> and the graphs of its lambdas and local functions, and returns every call
    /// of a generated method in them with the values of its arguments.
    /// </summary>
    public static List<CallRecord> Run(ControlFlowGraph graph, ModelGenSymbols symbols, CancellationToken cancellationToken)
    {
        var calls = new List<CallRecord>();
        AnalyzeWithNested(graph, symbols, calls, cancellationToken);
        return calls;
    }

    /// <summary>Analyses a graph after its nested graphs; returns every symbol that it and they reference.</summary>
    private static HashSet<ISymbol> AnalyzeWithNested(ControlFlowGraph graph, ModelGenSymbols symbols, List<CallRecord> calls, CancellationToken cancellationToken)
    {
        var analysis = new ValueFlowAnalysis(graph, symbols, cancellationToken);
        List<IFlowAnonymousFunctionOperation> lambdas = analysis.Prescan();

        // A variable that a lambda or local function reads or writes may change whenever that code runs, so the
        // enclosing graph does not track it.
        var nested = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (IFlowAnonymousFunctionOperation lambda in lambdas)
        {
            nested.UnionWith(AnalyzeWithNested(graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken), symbols, calls, cancellationToken));
        }

        foreach (IMethodSymbol localFunction in graph.LocalFunctions)
        {
            nested.UnionWith(AnalyzeWithNested(graph.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken), symbols, calls, cancellationToken));
        }

        foreach (ISymbol symbol in nested)
        {
            analysis._variables.Untrack(symbol);
        }

        if (analysis.Solve())
        {
            calls.AddRange(analysis._calls.Values);
        }

        nested.UnionWith(analysis._referenced);
        return nested;
    }

    /// <summary>Numbers the variables, marks those that cannot be followed, and returns the lambdas of the graph.</summary>
    private List<IFlowAnonymousFunctionOperation> Prescan()
    {
        var lambdas = new List<IFlowAnonymousFunctionOperation>();
        foreach (BasicBlock block in _graph.Blocks)
        {
            bool inHandler = IsInHandler(block.EnclosingRegion);
            foreach (IOperation root in OperationsOf(block))
            {
                foreach (IOperation operation in root.DescendantsAndSelf())
                {
                    PrescanOperation(operation, inHandler, lambdas);
                }
            }
        }

        return lambdas;
    }

    private void PrescanOperation(IOperation operation, bool inHandler, List<IFlowAnonymousFunctionOperation> lambdas)
    {
        switch (operation)
        {
            case ILocalReferenceOperation local:
                Register(local.Local, inHandler || local.Local.IsRef);
                break;
            case IParameterReferenceOperation parameter:
                Register(parameter.Parameter, inHandler);
                break;
            case IFieldReferenceOperation field when IsTrackedField(field):
                Register(field.Field, inHandler);
                break;
            case IFlowCaptureOperation capture:
                _variables.GetOrAdd(capture.Id);
                if (capture.Value is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation
                    or IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true })
                {
                    _capturedReferences[capture.Id] = capture.Value;
                }

                break;
            case IFlowCaptureReferenceOperation captureReference:
                _variables.GetOrAdd(captureReference.Id);
                break;
            case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                UntrackReferencedVariable(argument.Value);
                break;
            case ISimpleAssignmentOperation { IsRef: true } refAssignment:
                UntrackReferencedVariable(refAssignment.Target);
                UntrackReferencedVariable(refAssignment.Value);
                break;
            case IAddressOfOperation addressOf:
                UntrackReferencedVariable(addressOf.Reference);
                break;
            case IFlowAnonymousFunctionOperation lambda:
                lambdas.Add(lambda);
                break;
        }
    }

    private void Register(ISymbol symbol, bool untrack)
    {
        _referenced.Add(symbol);
        _variables.GetOrAdd(symbol);
        if (untrack)
        {
            _variables.Untrack(symbol);
        }
    }

    private void UntrackReferencedVariable(IOperation operation)
    {
        switch (Strip(operation))
        {
            case ILocalReferenceOperation local:
                _variables.Untrack(local.Local);
                break;
            case IParameterReferenceOperation parameter:
                _variables.Untrack(parameter.Parameter);
                break;
            case IFieldReferenceOperation field:
                _variables.Untrack(field.Field);
                break;
        }
    }

    /// <summary>Runs the analysis to a fixed point; returns false when it gave up.</summary>
    private bool Solve()
    {
        ImmutableArray<BasicBlock> blocks = _graph.Blocks;
        var inputs = new FlowState?[blocks.Length];
        var visits = new int[blocks.Length];
        var worklist = new SortedSet<int>();

        inputs[0] = new FlowState(_variables.Count);
        worklist.Add(0);

        // Handler blocks are entered from anywhere in their try block, so they start with nothing known.
        foreach (BasicBlock block in blocks)
        {
            if (block.Ordinal != 0 && block.IsReachable && block.Predecessors.IsEmpty)
            {
                inputs[block.Ordinal] = new FlowState(_variables.Count);
                worklist.Add(block.Ordinal);
            }
        }

        while (worklist.Count > 0)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            int ordinal = worklist.Min;
            worklist.Remove(ordinal);
            if (++visits[ordinal] > MaxVisitsPerBlock)
            {
                return false;
            }

            BasicBlock block = blocks[ordinal];
            _state = inputs[ordinal]!.Clone();
            foreach (IOperation operation in block.Operations)
            {
                Evaluate(operation);
            }

            if (block.BranchValue is null)
            {
                Propagate(block.FallThroughSuccessor, _state, inputs, worklist);
                continue;
            }

            Evaluate(block.BranchValue);
            if (block.ConditionalSuccessor is null)
            {
                Propagate(block.FallThroughSuccessor, _state, inputs, worklist);
                continue;
            }

            // The conditional successor is taken when the branch value equals ConditionKind == WhenTrue.
            bool conditionalWhen = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
            FlowState taken = _state.Clone();
            if (Refine(block.BranchValue, conditionalWhen, taken))
            {
                Propagate(block.ConditionalSuccessor, taken, inputs, worklist);
            }

            if (Refine(block.BranchValue, !conditionalWhen, _state))
            {
                Propagate(block.FallThroughSuccessor, _state, inputs, worklist);
            }
        }

        return true;
    }

    private static void Propagate(ControlFlowBranch? branch, FlowState state, FlowState?[] inputs, SortedSet<int> worklist)
    {
        if (branch?.Destination is not { } destination)
        {
            return;
        }

        FlowState? input = inputs[destination.Ordinal];
        if (input is null)
        {
            inputs[destination.Ordinal] = state.Clone();
            worklist.Add(destination.Ordinal);
        }
        else if (input.JoinWith(state))
        {
            worklist.Add(destination.Ordinal);
        }
    }

    /// <summary>
    /// Narrows <paramref name="state"/> by a null test that evaluated to <paramref name="outcome"/>; returns false
    /// when the outcome contradicts the state, so that the branch cannot be taken.
    /// </summary>
    private bool Refine(IOperation condition, bool outcome, FlowState state)
    {
        if (!TryGetNullTest(condition, out IOperation tested, out Nullness whenTrue, out Nullness whenFalse))
        {
            return true;
        }

        int id = VariableOf(tested);
        Nullness known = outcome ? whenTrue : whenFalse;
        if (id < 0 || known == Nullness.Unknown)
        {
            return true;
        }

        Nullness current = state[id].Nullness;
        if (current != Nullness.Unknown && current != known)
        {
            return false;
        }

        state[id] = known == Nullness.Null
            ? AbstractValue.Null.WithSources(state[id].Sources)
            : state[id].WithNullness(Nullness.NotNull);
        return true;
    }

    /// <summary>
    /// Recognises <c>x == null</c>, <c>x != null</c>, <c>x is null</c>, <c>x is not null</c>, type patterns, their
    /// negation and the compiler's null checks of <c>?.</c> and <c>??</c>, and returns the nullness that each
    /// outcome implies.
    /// </summary>
    private static bool TryGetNullTest(IOperation condition, out IOperation tested, out Nullness whenTrue, out Nullness whenFalse)
    {
        tested = condition;
        whenTrue = Nullness.Unknown;
        whenFalse = Nullness.Unknown;
        switch (Strip(condition))
        {
            case IIsNullOperation isNull:
                tested = isNull.Operand;
                (whenTrue, whenFalse) = (Nullness.Null, Nullness.NotNull);
                return true;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals, OperatorMethod: null } binary:
                IOperation? other = IsNullConstant(binary.RightOperand) ? binary.LeftOperand
                    : IsNullConstant(binary.LeftOperand) ? binary.RightOperand
                    : null;
                if (other is null)
                {
                    return false;
                }

                tested = other;
                (whenTrue, whenFalse) = binary.OperatorKind == BinaryOperatorKind.Equals
                    ? (Nullness.Null, Nullness.NotNull)
                    : (Nullness.NotNull, Nullness.Null);
                return true;
            case IIsPatternOperation pattern:
                tested = pattern.Value;
                return ReadPattern(pattern.Pattern, out whenTrue, out whenFalse);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return TryGetNullTest(not.Operand, out tested, out whenFalse, out whenTrue);
            default:
                return false;
        }
    }

    private static bool ReadPattern(IPatternOperation pattern, out Nullness whenTrue, out Nullness whenFalse)
    {
        (whenTrue, whenFalse) = pattern switch
        {
            IConstantPatternOperation constant when IsNullConstant(constant.Value) => (Nullness.Null, Nullness.NotNull),
            INegatedPatternOperation { Pattern: IConstantPatternOperation constant } when IsNullConstant(constant.Value) => (Nullness.NotNull, Nullness.Null),
            ITypePatternOperation or IDeclarationPatternOperation { MatchesNull: false } or IRecursivePatternOperation => (Nullness.NotNull, Nullness.Unknown),
            _ => (Nullness.Unknown, Nullness.Unknown),
        };
        return whenTrue != Nullness.Unknown;
    }

    private static bool IsNullConstant(IOperation operation) =>
        operation.ConstantValue is { HasValue: true, Value: null };

    private static bool IsInHandler(ControlFlowRegion? region)
    {
        for (; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.Finally)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<IOperation> OperationsOf(BasicBlock block)
    {
        foreach (IOperation operation in block.Operations)
        {
            yield return operation;
        }

        if (block.BranchValue is not null)
        {
            yield return block.BranchValue;
        }
    }

    /// <summary>Removes conversions and parentheses around <paramref name="operation"/>.</summary>
    private static IOperation Strip(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }
}
