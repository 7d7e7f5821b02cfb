using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace ModelGen.Generator.Tests.Infrastructure;

/// <summary>A diagnostic that a test expects: its ID and its message as printed.</summary>
internal sealed record Expected(string Id, string Message);

internal static class DiagnosticAssert
{
    /// <summary>
    /// Runs the generator on <paramref name="markup"/> and checks that it reports exactly
    /// <paramref name="expected"/>, in source order, each with the ID, line and column span of its marker and
    /// the exact message; and that the generated code itself has no warning or error.
    /// </summary>
    public static GeneratorRun Verify(string markup, params Expected[] expected)
    {
        (string source, var spans) = Markup.Parse(markup);
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Null(run.GeneratorResult.Exception);

        Diagnostic[] actual = run.GeneratorDiagnostics
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, System.StringComparer.Ordinal)
            .ToArray();
        Assert.True(spans.Length == expected.Length, $"The test marks {spans.Length} span(s) but expects {expected.Length} diagnostic(s).");
        Assert.True(actual.Length == expected.Length, $"Expected {expected.Length} diagnostic(s), got:\n{GeneratorRun.Describe(actual)}");

        SourceText text = SourceText.From(source);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Id, spans[i].Id);
            Assert.Equal(expected[i].Id, actual[i].Id);
            LinePositionSpan expectedSpan = text.Lines.GetLinePositionSpan(new TextSpan(spans[i].Start, spans[i].Length));
            Assert.Equal(expectedSpan, actual[i].Location.GetLineSpan().Span);
            Assert.Equal(expected[i].Message, actual[i].GetMessage(CultureInfo.InvariantCulture));
        }

        Assert.DoesNotContain(run.OutputDiagnostics, d => GeneratorRun.IsGenerated(d) && d.Severity >= DiagnosticSeverity.Warning);
        return run;
    }
}
