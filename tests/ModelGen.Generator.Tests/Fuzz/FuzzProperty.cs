using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelGen.Generator.Tests.Infrastructure;
using Xunit.Sdk;

namespace ModelGen.Generator.Tests.Fuzz;

/// <summary>What the generator made of one fuzzed source.</summary>
internal enum FuzzOutcome
{
    /// <summary>No ModelGen error and a clean input: the full model was generated and compiled cleanly.</summary>
    Generated,

    /// <summary>ModelGen reported at least one error.</summary>
    Rejected,

    /// <summary>No ModelGen error, but the user's own code does not compile (e.g. a syntax error).</summary>
    BrokenInput,
}

/// <summary>The property that every source, valid or not, must satisfy.</summary>
internal static class FuzzProperty
{
    /// <summary>CS9248: a partial property has no implementation part; expected before the generator runs.</summary>
    private const string MissingImplementation = "CS9248";

    /// <summary>
    /// Runs the generator on <paramref name="source"/> and checks that it never throws, that generated files
    /// never carry a warning or error, and that a model without ModelGen errors and without compiler errors of
    /// its own is generated in full and compiles without any new warning or error.
    /// </summary>
    public static FuzzOutcome Check(string source)
    {
        GeneratorRun run = GeneratorHarness.Run(source);

        if (run.GeneratorResult.Exception is { } exception)
        {
            throw Fail($"The generator threw {exception}", source, run.GeneratorDiagnostics);
        }

        Diagnostic[] failures = run.GeneratorDiagnostics.Where(d => d.Id is "CS8784" or "CS8785" or "MG0999").ToArray();
        if (failures.Length > 0)
        {
            throw Fail("The generator failed", source, failures);
        }

        ImmutableArray<Diagnostic> output = run.OutputDiagnostics;
        Diagnostic[] inGenerated = output.Where(d => GeneratorRun.IsGenerated(d) && d.Severity >= DiagnosticSeverity.Warning).ToArray();
        if (inGenerated.Length > 0)
        {
            throw Fail("Generated code has warnings or errors", source, inGenerated.Concat(run.GeneratorDiagnostics));
        }

        if (run.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return FuzzOutcome.Rejected;
        }

        ImmutableArray<Diagnostic> input = run.Input.GetDiagnostics();
        if (input.Any(d => d.Severity == DiagnosticSeverity.Error && d.Id != MissingImplementation))
        {
            return FuzzOutcome.BrokenInput;
        }

        // Accepted: a class with [Model] must get its generated part, and every warning or error left must be
        // one the user's code had before generation.
        bool hasModel = AllTypes(run.Input.Assembly.GlobalNamespace).Any(t => t.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "ModelGen.ModelAttribute"));
        if (hasModel && run.GeneratedSources.IsEmpty)
        {
            throw Fail("The generator emitted nothing for a [Model] class without reporting an error", source, run.GeneratorDiagnostics);
        }

        var before = new HashSet<string>(input.Where(d => d.Id != MissingImplementation || !hasModel).Select(Key));
        Diagnostic[] added = output.Where(d => d.Severity >= DiagnosticSeverity.Warning && !before.Contains(Key(d))).ToArray();
        if (added.Length > 0)
        {
            throw Fail("A model without ModelGen errors does not compile cleanly", source, added.Concat(run.GeneratorDiagnostics));
        }

        if (run.GeneratedSources.Any(s => s.SourceText.ToString().Contains("The model has errors", StringComparison.Ordinal)))
        {
            throw Fail("The generator emitted placeholders without reporting an error", source, run.GeneratorDiagnostics);
        }

        return FuzzOutcome.Generated;
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol ns) =>
        ns.GetTypeMembers().SelectMany(AllNested).Concat(ns.GetNamespaceMembers().SelectMany(AllTypes));

    private static IEnumerable<INamedTypeSymbol> AllNested(INamedTypeSymbol type) =>
        type.GetTypeMembers().SelectMany(AllNested).Prepend(type);

    private static string Key(Diagnostic diagnostic) => diagnostic.Id + "@" + diagnostic.Location.GetLineSpan();

    private static XunitException Fail(string failure, string source, IEnumerable<Diagnostic> diagnostics) =>
        new($"{failure}.{Environment.NewLine}Diagnostics:{Environment.NewLine}{GeneratorRun.Describe(diagnostics)}{Environment.NewLine}Source:{Environment.NewLine}{source}");
}
