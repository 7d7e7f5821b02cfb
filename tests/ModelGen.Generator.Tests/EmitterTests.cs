using System;
using System.Globalization;
using System.Threading;
using CsCheck;
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
}
