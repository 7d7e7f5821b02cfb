using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ModelGen.Analyzers.Flow;

namespace ModelGen.Analyzers;

/// <summary>Keys of the diagnostic properties that the code fix reads to rewrite a call.</summary>
internal static class FixProperties
{
    /// <summary>Name of the generated method to call instead.</summary>
    public const string Method = "Method";

    /// <summary>Comma-separated indices, in the call's argument list, of the arguments to remove.</summary>
    public const string RemovedArguments = "RemovedArguments";

    /// <summary>'|'-separated parameter name of each argument in the call's argument list.</summary>
    public const string ArgumentParameters = "ArgumentParameters";

    /// <summary>'|'-separated parameter names of the method to call, in the order the argument list fills them.</summary>
    public const string MethodParameters = "MethodParameters";

    public const char Separator = '|';
}

/// <summary>Turns the recorded calls of generated methods into diagnostics.</summary>
internal sealed class CallReporter
{
    private readonly CallRecord _record;
    private readonly ModelMethod _model;
    private readonly ModelGenSymbols _symbols;
    private readonly Action<Diagnostic> _report;

    private CallReporter(CallRecord record, ModelGenSymbols symbols, Action<Diagnostic> report)
    {
        _record = record;
        _model = record.Method;
        _symbols = symbols;
        _report = report;
    }

    private string MethodName => _model.Method.Name;

    public static void Report(CallRecord record, ModelGenSymbols symbols, Action<Diagnostic> report) =>
        new CallReporter(record, symbols, report).Run();

    private void Run()
    {
        if (_model.IsConstructor)
        {
            // A null input is never legal there either. A null target is, so MG1001 does not apply.
            ReportNullInputs(ConstructorName());
            ReportConstructorNaNTargets();
            return;
        }

        ReportNullInputs(MethodName);
        if (!_model.IsTraining)
        {
            return;
        }

        var nullTargets = new List<int>();
        var nanTargets = new List<int>();
        var partlyNaNTargets = new List<int>();
        var possiblyNaNTargets = new List<int>();
        for (int i = 0; i < _model.Roles.Length; i++)
        {
            if (_model.Roles[i].Kind != ParameterRoleKind.Target || !_record.IsExplicit(i))
            {
                continue;
            }

            AbstractValue value = _record.Values[i];
            if (value.NaNChecked && value.Nullness != Nullness.Null)
            {
                // The method tests this target for NaN on some path before the call.
                continue;
            }

            if (value.Nullness == Nullness.Null)
            {
                nullTargets.Add(i);
            }
            else if (WeightsPassed(_model.Roles[i].Name))
            {
                // Samples of weight 0 are skipped entirely, so their targets may be NaN; the runtime rejects NaN
                // wherever the weight is above 0, which the analyzer cannot see.
                continue;
            }
            else if (value.NaN == NaNContent.All)
            {
                nanTargets.Add(i);
            }
            else if (value.NaN == NaNContent.Contains)
            {
                partlyNaNTargets.Add(i);
            }
            else if (value.NaN == NaNContent.Maybe)
            {
                possiblyNaNTargets.Add(i);
            }
        }

        ReportUntrainedHeads(nullTargets, nanTargets);
        foreach (int ordinal in partlyNaNTargets)
        {
            Report(UsageDescriptors.NaNTarget, ordinal, null, ParameterName(ordinal), MethodName, "contains NaN", PartialLabelAdvice(ordinal, possibly: false));
        }

        foreach (int ordinal in possiblyNaNTargets)
        {
            Report(UsageDescriptors.PossiblyNaNTarget, ordinal, null, ParameterName(ordinal), MethodName, PartialLabelAdvice(ordinal, possibly: true));
        }
    }

    /// <summary>
    /// Reports NaN targets passed to a generated constructor, such as that of a model's <c>Dataset</c>. A null target
    /// is legal there (the dataset has no targets for that head), so only NaN targets are reported, and no code fix
    /// is offered.
    /// </summary>
    private void ReportConstructorNaNTargets()
    {
        for (int i = 0; i < _model.Roles.Length; i++)
        {
            if (_model.Roles[i].Kind != ParameterRoleKind.Target || !_record.IsExplicit(i))
            {
                continue;
            }

            // As for training methods: a target tested for NaN before the call, or one that comes with sample weights,
            // is left alone. The constructor accepts NaN in rows of weight 0, which the analyzer cannot see.
            AbstractValue value = _record.Values[i];
            if (value.Nullness == Nullness.Null || value.NaNChecked || WeightsPassed(_model.Roles[i].Name))
            {
                continue;
            }

            string target = ParameterName(i);
            string constructor = ConstructorName();
            switch (value.NaN)
            {
                case NaNContent.All:
                    Report(UsageDescriptors.NaNTarget, i, null, target, constructor, "is NaN in every value", ConstructorAdvice(i, NaNContent.All));
                    break;
                case NaNContent.Contains:
                    Report(UsageDescriptors.NaNTarget, i, null, target, constructor, "contains NaN", ConstructorAdvice(i, NaNContent.Contains));
                    break;
                case NaNContent.Maybe:
                    Report(UsageDescriptors.PossiblyNaNTarget, i, null, target, constructor, ConstructorAdvice(i, NaNContent.Maybe));
                    break;
            }
        }
    }

    /// <summary>Returns e.g. <c>the TwoHeadNet.Dataset constructor</c>.</summary>
    private string ConstructorName()
    {
        INamedTypeSymbol type = _model.Method.ContainingType;
        string name = type.ContainingType is { } model ? model.Name + "." + type.Name : type.Name;
        return $"the {name} constructor";
    }

    /// <summary>Advice for a constructor's target whose NaN content is <paramref name="content"/>.</summary>
    private string ConstructorAdvice(int ordinal, NaNContent content)
    {
        string head = _model.Roles[ordinal].Name;
        int weightsOrdinal = _model.IndexOf(ParameterRoleKind.SampleWeights, head);
        string? weights = weightsOrdinal >= 0 ? ParameterName(weightsOrdinal) : null;
        if (weights is null)
        {
            return content == NaNContent.All
                ? $"leave '{ParameterName(ordinal)}' null when no row has a label for head '{head}'"
                : "put any finite value in place of NaN, or leave the rows without a label out of the dataset";
        }

        return content switch
        {
            NaNContent.All => $"leave '{ParameterName(ordinal)}' null when no row has a label for head '{head}', or pass '{weights}' with weight 0 for the rows without a label",
            NaNContent.Contains => $"pass '{weights}' with weight 0 for the rows without a label, whose targets may then stay NaN",
            _ => $"replace NaN with a finite value before the call, or pass '{weights}' with weight 0 for the rows without a label",
        };
    }

    private void ReportNullInputs(string callee)
    {
        for (int i = 0; i < _model.Roles.Length; i++)
        {
            ParameterRole role = _model.Roles[i];
            if (role.Kind == ParameterRoleKind.Input && _record.IsExplicit(i) && _record.Values[i].Nullness == Nullness.Null)
            {
                Report(UsageDescriptors.NullInput, i, null, ParameterName(i), callee, role.Name);
            }
        }
    }

    /// <summary>Reports null and all-NaN targets: the heads they belong to cannot be trained by this call.</summary>
    private void ReportUntrainedHeads(List<int> nullTargets, List<int> nanTargets)
    {
        if (nullTargets.Count == 0 && nanTargets.Count == 0)
        {
            return;
        }

        var dropped = new HashSet<string>(nullTargets.Concat(nanTargets).Select(i => _model.Roles[i].Name), StringComparer.Ordinal);
        ImmutableArray<string> remaining = _model.Heads.Where(h => !dropped.Contains(h)).ToImmutableArray();
        ModelMethod? replacement = FindSubsetMethod(dropped);

        // A method for the remaining heads may exist without an overload that takes the call's other arguments
        // (per-sample weights, say). It is still the advice, but the code fix cannot rewrite the call.
        ModelMethod? advised = replacement ?? FindSubsetMethod(dropped, anyArguments: true);
        string advice = advised is not null ? $"call {advised.Method.Name} to train only the other heads"
            : remaining.IsEmpty ? "no head is left to train, so remove the call"
            : $"no generated method trains exactly the remaining {HeadList(remaining)}, so call one that trains a subset of them";
        ImmutableDictionary<string, string?>? properties = replacement is null ? null : FixPropertiesFor(replacement, dropped);

        foreach (int ordinal in nullTargets)
        {
            Report(UsageDescriptors.NullTarget, ordinal, properties, ParameterName(ordinal), MethodName, advice);
        }

        foreach (int ordinal in nanTargets)
        {
            Report(UsageDescriptors.NaNTarget, ordinal, properties, ParameterName(ordinal), MethodName, "is NaN in every value", advice);
        }
    }

    /// <summary>Advice for a target in which some samples have no label (NaN).</summary>
    private string PartialLabelAdvice(int ordinal, bool possibly)
    {
        string head = _model.Roles[ordinal].Name;
        string weights = ParameterName(ordinal) + "SampleWeights";
        bool passed = WeightsPassed(head);
        bool weightsOverload = passed || _symbols.GetTrainingMethods(_model.Method.ContainingType)
            .Any(m => m.HeadSet.SetEquals(_model.HeadSet) && m.IndexOf(ParameterRoleKind.SampleWeights, head) >= 0);
        ModelMethod? others = FindSubsetMethod(new HashSet<string>(StringComparer.Ordinal) { head });
        string replace = possibly ? "replace NaN with a finite value before the call" : "put any finite value in place of NaN";

        if (passed)
        {
            return $"{replace}, since weight 0 in '{weights}' already leaves those samples out";
        }

        if (weightsOverload)
        {
            return $"{replace} and pass '{weights}' with weight 0 for the samples without a label";
        }

        return others is not null
            ? $"{replace}, or train the samples without a label with {others.Method.Name}"
            : $"{replace}, or leave the samples without a label out of the batch";
    }

    /// <summary>Whether the call passes per-sample weights for <paramref name="head"/>.</summary>
    private bool WeightsPassed(string head)
    {
        int ordinal = _model.IndexOf(ParameterRoleKind.SampleWeights, head);
        return ordinal >= 0 && _record.IsExplicit(ordinal) && _record.Values[ordinal].Nullness != Nullness.Null;
    }

    /// <summary>
    /// Returns the generated method of the same type that trains exactly the heads other than
    /// <paramref name="dropped"/> and accepts the call's remaining arguments (any arguments when
    /// <paramref name="anyArguments"/>), or null when there is none, for example when the generator limits the
    /// subsets it emits.
    /// </summary>
    private ModelMethod? FindSubsetMethod(HashSet<string> dropped, bool anyArguments = false)
    {
        var remaining = new HashSet<string>(_model.Heads.Where(h => !dropped.Contains(h)), StringComparer.Ordinal);
        if (remaining.Count == 0)
        {
            return null;
        }

        var kept = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < _model.Roles.Length; i++)
        {
            if (_record.IsExplicit(i) && !IsDropped(i, dropped))
            {
                kept.Add(_model.Method.Parameters[i].Name);
            }
        }

        ModelMethod? best = null;
        int bestExtra = int.MaxValue;
        foreach (ModelMethod candidate in _symbols.GetTrainingMethods(_model.Method.ContainingType))
        {
            if (!candidate.HeadSet.SetEquals(remaining) || candidate.Method.IsStatic != _model.Method.IsStatic)
            {
                continue;
            }

            ImmutableArray<IParameterSymbol> parameters = candidate.Method.Parameters;
            bool accepts = anyArguments
                || (kept.All(name => parameters.Any(p => p.Name == name)) && parameters.All(p => kept.Contains(p.Name) || p.IsOptional || p.IsParams));
            int extra = parameters.Length - kept.Count;
            if (accepts && extra < bestExtra)
            {
                best = candidate;
                bestExtra = extra;
            }
        }

        return best;
    }

    private bool IsDropped(int ordinal, HashSet<string> droppedHeads)
    {
        ParameterRole role = _model.Roles[ordinal];
        return role.Kind is ParameterRoleKind.Target or ParameterRoleKind.SampleWeights && droppedHeads.Contains(role.Name);
    }

    /// <summary>
    /// Describes the rewrite to <paramref name="replacement"/> for the code fix, or returns null when the call's
    /// syntax cannot be rewritten (a call through a delegate, or an argument the analysis cannot place).
    /// </summary>
    private ImmutableDictionary<string, string?>? FixPropertiesFor(ModelMethod replacement, HashSet<string> dropped)
    {
        if (_record.ThroughDelegate || _record.Call.Syntax is not InvocationExpressionSyntax invocation)
        {
            return null;
        }

        SeparatedSyntaxList<ArgumentSyntax> arguments = invocation.ArgumentList.Arguments;
        var parameterNames = new string?[arguments.Count];
        var removed = new List<int>();
        bool reducedExtension = false;
        for (int ordinal = 0; ordinal < _record.Arguments.Length; ordinal++)
        {
            IArgumentOperation? argument = _record.Arguments[ordinal];
            if (argument is null || argument.ArgumentKind != ArgumentKind.Explicit)
            {
                continue;
            }

            if (ArgumentSyntaxOf(argument) is not { } syntax)
            {
                // The receiver of an extension method called as 'model.Method(...)'.
                reducedExtension |= ordinal == 0 && _model.Method.IsExtensionMethod;
                continue;
            }

            int index = arguments.IndexOf(syntax);
            if (index < 0)
            {
                return null;
            }

            parameterNames[index] = _model.Method.Parameters[ordinal].Name;
            if (IsDropped(ordinal, dropped))
            {
                removed.Add(index);
            }
        }

        if (parameterNames.Any(name => name is null))
        {
            return null;
        }

        IEnumerable<string> methodParameters = replacement.Method.Parameters.Select(p => p.Name).Skip(reducedExtension ? 1 : 0);
        return ImmutableDictionary<string, string?>.Empty
            .Add(FixProperties.Method, replacement.Method.Name)
            .Add(FixProperties.RemovedArguments, string.Join(",", removed.OrderBy(i => i)))
            .Add(FixProperties.ArgumentParameters, string.Join(FixProperties.Separator.ToString(), parameterNames))
            .Add(FixProperties.MethodParameters, string.Join(FixProperties.Separator.ToString(), methodParameters));
    }

    /// <summary>
    /// Returns the argument's syntax in the call's argument list, or null for the receiver of an extension method.
    /// The operation's own syntax can be the expression inside it, e.g. <c>null</c> for <c>null!</c>.
    /// </summary>
    private ArgumentSyntax? ArgumentSyntaxOf(IArgumentOperation argument)
    {
        ArgumentListSyntax? list = _record.Call.Syntax switch
        {
            InvocationExpressionSyntax invocation => invocation.ArgumentList,
            BaseObjectCreationExpressionSyntax creation => creation.ArgumentList,
            _ => null,
        };
        ArgumentSyntax? syntax = argument.Syntax.FirstAncestorOrSelf<ArgumentSyntax>();
        return syntax is not null && list is not null && syntax.Parent == list ? syntax : null;
    }

    private string ParameterName(int ordinal) => _model.Method.Parameters[ordinal].Name;

    private void Report(DiagnosticDescriptor descriptor, int ordinal, ImmutableDictionary<string, string?>? properties, params object[] arguments)
    {
        IArgumentOperation? argument = _record.Arguments[ordinal];
        if (argument is null)
        {
            return;
        }

        SyntaxNode node = ArgumentSyntaxOf(argument) is { } syntax ? syntax.Expression : argument.Syntax;
        _report(Diagnostic.Create(
            descriptor,
            node.GetLocation(),
            [_record.Call.Syntax.GetLocation()],
            properties,
            arguments));
    }

    /// <summary>Returns e.g. <c>head 'A'</c>, <c>heads 'A' and 'B'</c> or <c>heads 'A', 'B' and 'C'</c>.</summary>
    private static string HeadList(ImmutableArray<string> heads)
    {
        string[] quoted = heads.Select(h => "'" + h + "'").ToArray();
        return quoted.Length == 1
            ? "head " + quoted[0]
            : "heads " + string.Join(", ", quoted.Take(quoted.Length - 1)) + " and " + quoted[quoted.Length - 1];
    }
}
