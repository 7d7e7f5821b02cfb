using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using CsCheck;
using Microsoft.CodeAnalysis;
using ModelGen.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelGen.Generator.Tests;

/// <summary>Checks of emitter helpers whose output the snapshots show for a few values only.</summary>
public class EmitterTests
{
    [Theory]
    [InlineData(1f, "1f")]
    [InlineData(0.1f, "0.1f")]
    [InlineData(0.3333333f, "0.3333333f")]
    [InlineData(1e-3f, "0.001f")]
    [InlineData(float.Epsilon, "1E-45f")]
    [InlineData(float.MaxValue, "3.4028235E+38f")]
    [InlineData(0f, "0f")]
    public void FloatLiteral_IsShortestRoundTrip(float value, string expected)
    {
        Assert.Equal(expected, ModelGenerator.Float(value));
    }

    [Fact]
    public void FloatLiteral_ParsesBackToTheSameValue()
    {
        Gen.Float.Where(f => float.IsFinite(f)).Sample(value =>
        {
            string literal = ModelGenerator.Float(value);
            Assert.EndsWith("f", literal, StringComparison.Ordinal);
            Assert.Equal(value, float.Parse(literal.AsSpan(0, literal.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture));
        }, iter: 2_000, threads: 1);
    }

    [Fact]
    public void FloatLiteral_IgnoresTheCurrentCulture()
    {
        CultureInfo previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("0.5f", ModelGenerator.Float(0.5f));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void OutputOnlyModel_CompilesWithoutHeads()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using ModelGen;
            namespace Demo;
            /// <summary>A model without a head: Predict only, with weights set from outside.</summary>
            [Model]
            public partial class Encoder
            {
                /// <summary>Features.</summary>
                [Input(4)] public partial InputLayer X { get; }

                /// <summary>The code that Predict returns.</summary>
                [Dense(2, From = nameof(X)), Output] public partial DenseLayer Code { get; }
            }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains(run.GeneratedSources, s => s.HintName == "Demo.Encoder.g.cs");
        Assert.Empty(run.OutputDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void ThirtyOneHeads_Compile()
    {
        string heads = string.Concat(Enumerable.Range(0, 31).Select(i => $"    /// <summary>Head.</summary>\n    [Dense(1, From = nameof(X)), Head(Loss.MeanSquaredError)] public partial DenseLayer H{i} {{ get; }}\n"));
        GeneratorRun run = GeneratorHarness.Run("using ModelGen;\nnamespace Demo;\n/// <summary>Wide.</summary>\n[Model]\npublic partial class Wide\n{\n    /// <summary>Features.</summary>\n    [Input(2)] public partial InputLayer X { get; }\n" + heads + "}\n");

        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(run.OutputDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }
}
