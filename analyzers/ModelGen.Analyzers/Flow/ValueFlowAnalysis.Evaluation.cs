using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ModelGen.Analyzers.Flow;

/// <summary>Transfer functions: the value of each operation and its effect on the current state.</summary>
internal sealed partial class ValueFlowAnalysis
{
    private static readonly AbstractValue NotNull = AbstractValue.Unknown.WithNullness(Nullness.NotNull);

    /// <summary>Returns the abstract value of <paramref name="operation"/> and applies its effects to the current state.</summary>
    private AbstractValue Evaluate(IOperation? operation)
    {
        if (operation is null)
        {
            return AbstractValue.Unknown;
        }

        if (operation.ConstantValue.HasValue)
        {
            return FromConstant(operation.ConstantValue.Value);
        }

        switch (operation)
        {
            case IConversionOperation conversion:
                return EvaluateConversion(conversion);
            case IParenthesizedOperation parenthesized:
                return Evaluate(parenthesized.Operand);
            case ILocalReferenceOperation or IParameterReferenceOperation or IFlowCaptureReferenceOperation:
                return ReadVariable(operation);
            case IFieldReferenceOperation field:
                return ReadField(field);
            case IFlowCaptureOperation capture:
                StoreVariable(_variables.Find(capture.Id), Evaluate(capture.Value));
                return AbstractValue.Unknown;
            case ISimpleAssignmentOperation assignment:
                return EvaluateAssignment(assignment);
            case ICompoundAssignmentOperation compound:
                return EvaluateCompoundAssignment(compound);
            case IDeconstructionAssignmentOperation deconstruction:
                Evaluate(deconstruction.Value);
                ForgetTargets(deconstruction.Target);
                return AbstractValue.Unknown;
            case IDefaultValueOperation defaultValue:
                return IsNullLike(defaultValue.Type) ? AbstractValue.Null : NotNull;
            case IArrayCreationOperation arrayCreation:
                return EvaluateArrayCreation(arrayCreation);
            case ICollectionExpressionOperation collection:
                return EvaluateCollectionExpression(collection);
            case IObjectCreationOperation creation:
                return EvaluateObjectCreation(creation);
            case IInvocationOperation invocation:
                return EvaluateInvocation(invocation);
            case IArrayElementReferenceOperation element:
                return ReadElement(Evaluate(element.ArrayReference), EvaluateAll(element.Indices));
            case IPropertyReferenceOperation property:
                return EvaluatePropertyRead(property);
            case IDelegateCreationOperation delegateCreation:
                AbstractValue target = Evaluate(delegateCreation.Target);
                return target.DelegateTarget is { } method ? AbstractValue.ForDelegate(method) : NotNull;
            case IMethodReferenceOperation methodReference:
                Evaluate(methodReference.Instance);
                return AbstractValue.ForDelegate(methodReference.Method);
            case IBinaryOperation binary:
                return EvaluateBinary(binary);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus or UnaryOperatorKind.Plus } unary:
                AbstractValue operand = Evaluate(unary.Operand);
                return Scalar(operand.NaN == NaNContent.All ? NaNContent.All : ScalarContent(operand), Collect(operand));
            case IFlowAnonymousFunctionOperation:
                return NotNull;
            default:
                return EvaluateChildren(operation);
        }
    }

    private static AbstractValue FromConstant(object? value) => value switch
    {
        null => AbstractValue.Null,
        float single when float.IsNaN(single) => AbstractValue.NaNScalar,
        double number when double.IsNaN(number) => AbstractValue.NaNScalar,
        _ => NotNull,
    };

    /// <summary>Evaluates the children of an operation the analysis does not model; variables declared by patterns become unknown.</summary>
    private AbstractValue EvaluateChildren(IOperation operation)
    {
        ImmutableSortedSet<int> sources = ImmutableSortedSet<int>.Empty;
        foreach (IOperation child in operation.ChildOperations)
        {
            sources = sources.Union(Collect(Evaluate(child)));
        }

        ISymbol? declared = operation switch
        {
            IDeclarationPatternOperation declaration => declaration.DeclaredSymbol,
            IRecursivePatternOperation recursive => recursive.DeclaredSymbol,
            IListPatternOperation list => list.DeclaredSymbol,
            _ => null,
        };
        if (declared is not null)
        {
            StoreVariable(_variables.Find(declared), NotNull);
        }

        return AbstractValue.Unknown.WithSources(sources);
    }

    private AbstractValue[] EvaluateAll(ImmutableArray<IOperation> operations)
    {
        var values = new AbstractValue[operations.Length];
        for (int i = 0; i < operations.Length; i++)
        {
            values[i] = Evaluate(operations[i]);
        }

        return values;
    }

    // ---- Variables ---------------------------------------------------------------------------------------

    /// <summary>Returns the id of the tracked variable that <paramref name="operation"/> reads, or -1.</summary>
    private int VariableOf(IOperation operation) => Strip(operation) switch
    {
        ILocalReferenceOperation local => _variables.Find(local.Local),
        IParameterReferenceOperation parameter => _variables.Find(parameter.Parameter),
        IFieldReferenceOperation field when IsTrackedField(field) => _variables.Find(field.Field),
        IFlowCaptureReferenceOperation capture => _variables.Find(capture.Id),
        _ => -1,
    };

    private static bool IsTrackedField(IFieldReferenceOperation field) =>
        field.Field.IsStatic || field.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

    private AbstractValue ReadVariable(IOperation reference)
    {
        int id = VariableOf(reference);
        if (id < 0)
        {
            return AbstractValue.Unknown;
        }

        AbstractValue value = _state[id];
        int root = value.Alias == AbstractValue.NoAlias ? id : value.Alias;
        return value.WithAlias(root, value.PartialAlias).AddSources(ImmutableSortedSet.Create(id));
    }

    private AbstractValue ReadField(IFieldReferenceOperation field)
    {
        Evaluate(field.Instance);
        if (_symbols.FieldFacts.IsAlwaysNull(field.Field, _cancellationToken))
        {
            return AbstractValue.Null;
        }

        return ReadVariable(field);
    }

    /// <summary>Gives variable <paramref name="id"/> a new value; variables that shared its old buffer keep it.</summary>
    private void StoreVariable(int id, AbstractValue value)
    {
        if (id < 0)
        {
            return;
        }

        int newRoot = -1;
        for (int other = 0; other < _state.Count; other++)
        {
            if (other == id || _state[other].Alias != id)
            {
                continue;
            }

            if (newRoot < 0)
            {
                newRoot = other;
                _state[other] = _state[other].WithAlias(AbstractValue.NoAlias, partial: false);
            }
            else
            {
                _state[other] = _state[other].WithAlias(newRoot, _state[other].PartialAlias);
            }
        }

        int alias = value.Alias == id ? AbstractValue.NoAlias : value.Alias;
        _state[id] = value.WithAlias(alias, value.PartialAlias);
    }

    private void ForgetTargets(IOperation target)
    {
        foreach (IOperation operation in target.DescendantsAndSelf())
        {
            int id = VariableOf(operation);
            if (id >= 0)
            {
                StoreVariable(id, AbstractValue.Unknown);
            }
        }
    }

    private void ResetFields()
    {
        for (int id = 0; id < _state.Count; id++)
        {
            if (_variables.IsField(id))
            {
                StoreVariable(id, AbstractValue.Unknown);
            }
        }
    }

    // ---- Buffers -----------------------------------------------------------------------------------------

    /// <summary>
    /// Applies a write to the buffer that <paramref name="target"/> (the value of <paramref name="targetOperation"/>)
    /// shares: to the variable that owns it, to every variable sharing it, and to the written variable itself.
    /// <paramref name="transform"/> receives the buffer and whether the write reaches it through a slice.
    /// </summary>
    private void Mutate(IOperation? targetOperation, AbstractValue target, System.Func<AbstractValue, bool, AbstractValue> transform)
    {
        if (target.Alias == AbstractValue.AmbiguousAlias)
        {
            ForgetAllNaN();
            return;
        }

        int root = target.Alias;
        if (root >= 0)
        {
            _state[root] = transform(_state[root], target.PartialAlias);
            PropagateContent(root);
        }

        int self = targetOperation is null ? -1 : VariableOf(targetOperation);
        if (self >= 0 && self != root)
        {
            _state[self] = transform(_state[self], false);
        }
    }

    private void PropagateContent(int root)
    {
        AbstractValue owner = _state[root];
        for (int id = 0; id < _state.Count; id++)
        {
            AbstractValue value = _state[id];
            if (id == root || value.Alias != root)
            {
                continue;
            }

            _state[id] = !value.PartialAlias
                ? value.WithContentOf(owner)
                : value.WithNaN(owner.NaN == NaNContent.None ? NaNContent.None : NaNContent.Maybe, null);
        }
    }

    // A write of NaN makes earlier NaN tests of the buffer irrelevant.
    private void WriteElement(IOperation bufferOperation, AbstractValue buffer, NaNContent element, int? index) =>
        Mutate(bufferOperation, buffer, (value, throughSlice) => (throughSlice
            ? BufferTransfer.Fill(value, element, partial: true, certainlyNonEmpty: false)
            : BufferTransfer.WriteElement(value, element, index)).WithNaNChecked(value.NaNChecked && element == NaNContent.None));

    private void Fill(IOperation bufferOperation, AbstractValue buffer, NaNContent element, bool partial, bool certainlyNonEmpty) =>
        Mutate(bufferOperation, buffer, (value, throughSlice) =>
            BufferTransfer.Fill(value, element, partial || throughSlice, certainlyNonEmpty && !throughSlice)
                .WithNaNChecked(value.NaNChecked && element == NaNContent.None));

    /// <summary>Forgets NaN content of a buffer that code the analysis does not see may write into.</summary>
    private void Escape(IOperation? operation, AbstractValue value)
    {
        if (value.Alias != AbstractValue.NoAlias)
        {
            Mutate(operation, value, static (buffer, _) => buffer.WithNaN(NaNContent.None, null));
        }
    }

    private void ForgetAllNaN()
    {
        for (int id = 0; id < _state.Count; id++)
        {
            if (_state[id].IsNaNLike)
            {
                _state[id] = _state[id].WithNaN(NaNContent.None, null);
            }
        }
    }

    /// <summary>Forgets NaN content of every variable a checked value was read from, after a NaN test.</summary>
    private void ClearChecked(AbstractValue value)
    {
        if (value.Alias == AbstractValue.AmbiguousAlias)
        {
            ForgetAllNaN();
        }

        foreach (int id in Collect(value))
        {
            _state[id] = _state[id].WithNaN(NaNContent.None, null).WithNaNChecked(true);
            PropagateContent(id);
        }
    }

    private static AbstractValue ReadElement(AbstractValue buffer, AbstractValue[] indices)
    {
        ImmutableSortedSet<int> sources = Collect(buffer);
        foreach (AbstractValue index in indices)
        {
            sources = sources.Union(index.Sources);
        }

        return Scalar(BufferTransfer.ElementOf(buffer), sources);
    }

    // ---- Assignments -------------------------------------------------------------------------------------

    /// <summary>Returns the variable or element that an assignment to a capture writes, or <paramref name="target"/> itself.</summary>
    private IOperation ResolveTarget(IOperation target) =>
        target is IFlowCaptureReferenceOperation capture && _capturedReferences.TryGetValue(capture.Id, out IOperation? captured)
            ? captured
            : target;

    private AbstractValue EvaluateAssignment(ISimpleAssignmentOperation assignment)
    {
        IOperation target = ResolveTarget(assignment.Target);
        switch (target)
        {
            case IArrayElementReferenceOperation element:
            {
                AbstractValue buffer = Evaluate(element.ArrayReference);
                EvaluateAll(element.Indices);
                AbstractValue value = Evaluate(assignment.Value);
                WriteElement(element.ArrayReference, buffer, ElementContent(target, value), ConstantIndex(element.Indices));
                Escape(assignment.Value, value);
                return value;
            }

            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } indexer when IsBufferType(instance.Type):
            {
                AbstractValue buffer = Evaluate(instance);
                ImmutableArray<IOperation> indices = ArgumentValues(indexer.Arguments);
                EvaluateAll(indices);
                AbstractValue value = Evaluate(assignment.Value);
                WriteElement(instance, buffer, ElementContent(target, value), ConstantIndex(indices));
                return value;
            }

            case IPropertyReferenceOperation property:
            {
                Evaluate(property.Instance);
                EvaluateAll(ArgumentValues(property.Arguments));
                AbstractValue value = Evaluate(assignment.Value);
                Escape(assignment.Value, value);
                ResetFields();
                return value;
            }

            case IFieldReferenceOperation field when !IsTrackedField(field):
            {
                Evaluate(field.Instance);
                AbstractValue value = Evaluate(assignment.Value);
                Escape(assignment.Value, value);
                return value;
            }

            default:
            {
                AbstractValue value = Evaluate(assignment.Value);
                int id = VariableOf(target);
                if (id >= 0)
                {
                    StoreVariable(id, value);
                }
                else
                {
                    // An untracked variable may be written through by code the analysis does not follow.
                    Escape(assignment.Value, value);
                }

                return value;
            }
        }
    }

    private AbstractValue EvaluateCompoundAssignment(ICompoundAssignmentOperation compound)
    {
        AbstractValue current = Evaluate(compound.Target);
        AbstractValue value = Evaluate(compound.Value);
        NaNContent combined = Combine(ScalarContent(current), ScalarContent(value));
        IOperation target = ResolveTarget(compound.Target);
        switch (Strip(target))
        {
            case IArrayElementReferenceOperation element when ScalarContent(value) != NaNContent.None:
                WriteElement(element.ArrayReference, Evaluate(element.ArrayReference), ElementContent(target, value), ConstantIndex(element.Indices));
                break;
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } indexer
                when IsBufferType(instance.Type) && ScalarContent(value) != NaNContent.None:
                WriteElement(instance, Evaluate(instance), ElementContent(target, value), ConstantIndex(ArgumentValues(indexer.Arguments)));
                break;
            default:
                int id = VariableOf(target);
                if (id >= 0)
                {
                    StoreVariable(id, IsFloatingPoint(target.Type) ? Scalar(combined, Collect(current)) : AbstractValue.Unknown);
                }

                break;
        }

        return Scalar(combined, Collect(current).Union(value.Sources));
    }

    /// <summary>What writing <paramref name="value"/> into <paramref name="target"/> puts into a floating-point buffer.</summary>
    private static NaNContent ElementContent(IOperation target, AbstractValue value) =>
        IsFloatingPoint(target.Type) ? ScalarContent(value) : NaNContent.None;

    // ---- Creation ----------------------------------------------------------------------------------------

    private AbstractValue EvaluateArrayCreation(IArrayCreationOperation creation)
    {
        EvaluateAll(creation.DimensionSizes);
        if (creation.Initializer is null)
        {
            return AbstractValue.NewBuffer(NaNContent.None, null);
        }

        var elements = new List<(AbstractValue Value, bool Spread)>();
        foreach (IOperation element in creation.Initializer.ElementValues)
        {
            elements.Add((Evaluate(element), false));
        }

        return BufferOf(elements);
    }

    private AbstractValue EvaluateCollectionExpression(ICollectionExpressionOperation collection)
    {
        var elements = new List<(AbstractValue Value, bool Spread)>();
        foreach (IOperation element in collection.Elements)
        {
            elements.Add(element is ISpreadOperation spread ? (Evaluate(spread.Operand), true) : (Evaluate(element), false));
        }

        return BufferOf(elements);
    }

    /// <summary>Returns a new buffer holding <paramref name="elements"/>, each a scalar or the spread of a buffer.</summary>
    private static AbstractValue BufferOf(List<(AbstractValue Value, bool Spread)> elements)
    {
        bool allNaN = true;
        bool certain = false;
        bool maybe = false;
        ImmutableSortedSet<int>.Builder? positions = ImmutableSortedSet.CreateBuilder<int>();
        int position = 0;
        foreach ((AbstractValue value, bool spread) in elements)
        {
            if (spread)
            {
                // Positions after a spread are not constant.
                positions = null;
                allNaN &= value.NaN == NaNContent.All;
                certain |= value.NaN == NaNContent.Contains;
                maybe |= value.NaN != NaNContent.None;
                continue;
            }

            NaNContent content = ScalarContent(value);
            if (content == NaNContent.All)
            {
                certain = true;
            }
            else
            {
                allNaN = false;
            }

            if (content != NaNContent.None)
            {
                maybe = true;
                positions?.Add(position);
            }

            position++;
        }

        if (certain && allNaN)
        {
            return AbstractValue.NewBuffer(NaNContent.All, null);
        }

        if (certain || maybe)
        {
            return AbstractValue.NewBuffer(certain ? NaNContent.Contains : NaNContent.Maybe, positions?.ToImmutable());
        }

        return AbstractValue.NewBuffer(NaNContent.None, null);
    }

    private AbstractValue EvaluateObjectCreation(IObjectCreationOperation creation)
    {
        AbstractValue[] arguments = EvaluateAll(ArgumentValues(creation.Arguments));
        Evaluate(creation.Initializer);
        if (creation.Constructor is { } constructor && _symbols.GetModelMethod(constructor) is { } model)
        {
            // A generated constructor, such as that of a model's Dataset. It copies the arrays it receives and
            // never writes them, so their content stays known after the call.
            Record(creation, creation.Arguments, model, arguments, throughDelegate: false);
            return NotNull;
        }

        ITypeSymbol? type = creation.Type;
        bool isSpan = ModelGenSymbols.IsConstructedFrom(type, _symbols.Span) || ModelGenSymbols.IsConstructedFrom(type, _symbols.ReadOnlySpan);
        if (isSpan && arguments.Length >= 1 && creation.Arguments[0].Value.Type is IArrayTypeSymbol)
        {
            return arguments.Length == 3
                ? SliceOf(arguments[0], ConstantInt(creation.Arguments[1].Value), ConstantInt(creation.Arguments[2].Value), toEnd: false)
                : arguments[0];
        }

        if (ModelGenSymbols.IsConstructedFrom(type, _symbols.List))
        {
            bool copies = arguments.Length == 1 && creation.Arguments[0].Value.Type?.SpecialType != SpecialType.System_Int32;
            return copies
                ? AbstractValue.NewBuffer(arguments[0].NaN, arguments[0].NaNIndices)
                : AbstractValue.NewBuffer(NaNContent.None, null);
        }

        EscapeArguments(creation.Arguments, arguments);
        return NotNull.WithSources(Collect(arguments));
    }

    // ---- Reads and arithmetic ----------------------------------------------------------------------------

    private AbstractValue EvaluatePropertyRead(IPropertyReferenceOperation property)
    {
        AbstractValue instance = Evaluate(property.Instance);
        AbstractValue[] arguments = EvaluateAll(ArgumentValues(property.Arguments));
        if (property.Property.IsIndexer && property.Instance is { } receiver && IsBufferType(receiver.Type))
        {
            return ReadElement(instance, arguments);
        }

        return AbstractValue.Unknown.WithSources(Collect(instance).Union(Collect(arguments)));
    }

    private AbstractValue EvaluateBinary(IBinaryOperation binary)
    {
        AbstractValue left = Evaluate(binary.LeftOperand);
        AbstractValue right = Evaluate(binary.RightOperand);
        ImmutableSortedSet<int> sources = Collect(left).Union(Collect(right));

        // 'v != v' is the classic NaN test.
        if (binary.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals
            && IsFloatingPoint(binary.LeftOperand.Type)
            && IsSameExpression(binary.LeftOperand, binary.RightOperand))
        {
            ClearChecked(left);
            return NotNull;
        }

        bool arithmetic = binary.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract
            or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder or BinaryOperatorKind.Power;
        return arithmetic && IsFloatingPoint(binary.Type)
            ? Scalar(Combine(ScalarContent(left), ScalarContent(right)), sources)
            : NotNull.WithSources(sources);
    }

    private AbstractValue EvaluateConversion(IConversionOperation conversion)
    {
        AbstractValue operand = Evaluate(conversion.Operand);
        if (conversion.OperatorMethod is null || IsBufferType(conversion.Type))
        {
            // Built-in conversions keep the value; array to span conversions keep the buffer.
            return operand;
        }

        return AbstractValue.Unknown.WithSources(Collect(operand));
    }

    // ---- Helpers -----------------------------------------------------------------------------------------

    private static AbstractValue Scalar(NaNContent content, ImmutableSortedSet<int> sources) =>
        new(Nullness.NotNull, content, null, AbstractValue.NoAlias, false, null, sources);

    /// <summary>NaN content of a value used as a scalar: certainly NaN, maybe NaN, or ordinary.</summary>
    private static NaNContent ScalarContent(AbstractValue value) => value.NaN switch
    {
        NaNContent.All => NaNContent.All,
        NaNContent.None => NaNContent.None,
        _ => NaNContent.Maybe,
    };

    private static NaNContent Combine(NaNContent a, NaNContent b) =>
        a == NaNContent.All || b == NaNContent.All ? NaNContent.All
        : a != NaNContent.None || b != NaNContent.None ? NaNContent.Maybe
        : NaNContent.None;

    /// <summary>Variables a value was read from, including the owner of the buffer it shares.</summary>
    private static ImmutableSortedSet<int> Collect(AbstractValue value) =>
        value.Alias >= 0 ? value.Sources.Add(value.Alias) : value.Sources;

    private static ImmutableSortedSet<int> Collect(AbstractValue[] values)
    {
        ImmutableSortedSet<int> sources = ImmutableSortedSet<int>.Empty;
        foreach (AbstractValue value in values)
        {
            sources = sources.Union(Collect(value));
        }

        return sources;
    }

    private static ImmutableArray<IOperation> ArgumentValues(ImmutableArray<IArgumentOperation> arguments)
    {
        ImmutableArray<IOperation>.Builder values = ImmutableArray.CreateBuilder<IOperation>(arguments.Length);
        foreach (IArgumentOperation argument in arguments)
        {
            values.Add(argument.Value);
        }

        return values.MoveToImmutable();
    }

    private static int? ConstantIndex(ImmutableArray<IOperation> indices) =>
        indices.Length == 1 ? ConstantInt(indices[0]) : null;

    private static int? ConstantInt(IOperation operation) =>
        operation.ConstantValue is { HasValue: true, Value: int value } ? value : null;

    /// <summary>Whether two operands are written the same, ignoring whitespace and comments, as in <c>v != v</c>.</summary>
    private static bool IsSameExpression(IOperation left, IOperation right) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFactory.AreEquivalent(left.Syntax, right.Syntax, topLevel: false);

    private static bool IsFloatingPoint(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_Single or SpecialType.System_Double;

    private bool IsBufferType(ITypeSymbol? type) =>
        type is IArrayTypeSymbol
        || ModelGenSymbols.IsConstructedFrom(type, _symbols.Span)
        || ModelGenSymbols.IsConstructedFrom(type, _symbols.ReadOnlySpan)
        || ModelGenSymbols.IsConstructedFrom(type, _symbols.List);

    /// <summary>Whether the default value of <paramref name="type"/> is null or, for spans and memory, empty.</summary>
    private bool IsNullLike(ITypeSymbol? type) =>
        type is not null
        && (type.IsReferenceType
            || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
            || ModelGenSymbols.IsConstructedFrom(type, _symbols.Span)
            || ModelGenSymbols.IsConstructedFrom(type, _symbols.ReadOnlySpan)
            || ModelGenSymbols.IsConstructedFrom(type, _symbols.Memory)
            || ModelGenSymbols.IsConstructedFrom(type, _symbols.ReadOnlyMemory));
}
