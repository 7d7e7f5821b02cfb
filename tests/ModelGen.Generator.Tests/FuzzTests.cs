using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CsCheck;
using ModelGen.Generator.Tests.Fuzz;
using Xunit;
using Xunit.Abstractions;

namespace ModelGen.Generator.Tests;

/// <summary>
/// Property-based test of the whole generator on random models, valid and invalid. The cases come from a fixed
/// seed, so every run checks the same sources; set MODELGEN_FUZZ_ITERATIONS to check more of them.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    /// <summary>
    /// Cases per run by default. Each case costs about 13 ms of generator and compiler work, measured as 10,000
    /// cases in 2.2 minutes on a 2-core machine, on top of a few seconds to load and JIT-compile the compiler.
    /// </summary>
    private const int DefaultIterations = 100;

    private const ulong FirstSeed = 20_251_204;

    /// <summary>Shrinking attempts after a failure; each one runs the generator and the compiler once.</summary>
    private const int ShrinkIterations = 300;

    /// <summary>Choice sequences that <see cref="FuzzModelSource"/> renders into model sources.</summary>
    private static readonly Gen<uint[]> s_choices = Gen.UInt[0, 9_999].Array[0, 300];

    [Fact]
    public void RandomModels_CompileOrReportErrors()
    {
        int iterations = Iterations();
        var outcomes = new Dictionary<FuzzOutcome, int>();
        for (int i = 0; i < iterations; i++)
        {
            var pcg = new PCG(1, FirstSeed + (ulong)i);
            string seed = pcg.ToString();
            uint[] choices = s_choices.Generate(pcg, null, out _);
            FuzzOutcome outcome;
            try
            {
                outcome = FuzzProperty.Check(FuzzModelSource.Render(choices));
            }
            catch (Exception) when (iterations > 0)
            {
                // Let CsCheck shrink from the failing case to a simpler one; its exception names both. When no
                // smaller case fails, the original exception is rethrown.
                output.WriteLine($"Case {i} (seed {seed}) failed; shrinking.");
                Check.Sample(s_choices, c => { FuzzProperty.Check(FuzzModelSource.Render(c)); }, seed: seed, iter: ShrinkIterations, threads: 1, print: FuzzModelSource.Render);
                throw;
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}")));

        // The sources must reach the emitter often enough for the compile check to mean something.
        Assert.True(outcomes.GetValueOrDefault(FuzzOutcome.Generated) >= iterations / 5, $"Too few fuzzed models were valid: {outcomes.GetValueOrDefault(FuzzOutcome.Generated)} of {iterations}.");
        Assert.True(outcomes.GetValueOrDefault(FuzzOutcome.Rejected) >= iterations / 5, $"Too few fuzzed models were invalid: {outcomes.GetValueOrDefault(FuzzOutcome.Rejected)} of {iterations}.");
    }

    [Fact]
    public void ChoiceSequence_ReplaysFromSeed()
    {
        var pcg = new PCG(1, FirstSeed);
        string seed = pcg.ToString();
        string first = FuzzModelSource.Render(s_choices.Generate(pcg, null, out _));
        string again = FuzzModelSource.Render(s_choices.Generate(PCG.Parse(seed), null, out _));

        Assert.Equal(first, again);
    }

    [Fact]
    public void EmptyChoices_RenderValidModel()
    {
        string source = FuzzModelSource.Render(Array.Empty<uint>());
        output.WriteLine(source);
        output.WriteLine(Infrastructure.GeneratorRun.Describe(Infrastructure.GeneratorHarness.Run(source).GeneratorDiagnostics));

        Assert.Equal(FuzzOutcome.Generated, FuzzProperty.Check(source));
    }

    private static int Iterations()
    {
        string? text = Environment.GetEnvironmentVariable("MODELGEN_FUZZ_ITERATIONS");
        return text is null ? DefaultIterations : int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
