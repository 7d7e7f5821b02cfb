using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelGen.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelGen.Generator.Tests;

/// <summary>
/// Compares the generated source of each model under SnapshotModels/ with the expected file under Snapshots/
/// (named by the generator's hint name), and compiles each model with its generated code. See README.md for how
/// to accept changed output.
/// </summary>
public class SnapshotTests
{
    public static TheoryData<string> Models => new(ModelNames());

    [Theory]
    [MemberData(nameof(Models))]
    public void GeneratedSource_MatchesSnapshot(string model)
    {
        // Each model gets its network file and its training-loop file.
        GeneratorRun run = RunModel(model);
        Assert.Equal(2, run.GeneratedSources.Length);
        foreach (GeneratedSourceResult generated in run.GeneratedSources)
        {
            string actual = SnapshotFiles.Normalize(generated.SourceText.ToString());
            string path = Path.Combine(SnapshotFiles.SnapshotsDirectory, generated.HintName);

            if (SnapshotFiles.Accepting)
            {
                Directory.CreateDirectory(SnapshotFiles.SnapshotsDirectory);
                File.WriteAllText(path, actual);
                continue;
            }

            Assert.True(File.Exists(path), $"No snapshot {path}; run the tests with {SnapshotFiles.AcceptVariable}=1 to create it.");
            string expected = SnapshotFiles.Normalize(File.ReadAllText(path));
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void SnapshotModel_CompilesWithoutWarnings(string model)
    {
        GeneratorRun run = RunModel(model);

        // Warning level 9999 turns every warning wave on; any warning at all fails, as TreatWarningsAsErrors would.
        Diagnostic[] problems = run.OutputDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(problems.Length == 0, GeneratorRun.Describe(problems));
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
    }

    [Fact]
    public void SnapshotsDirectory_HasNoStaleFiles()
    {
        var expected = new HashSet<string>(ModelNames().SelectMany(model => RunModel(model).GeneratedSources.Select(s => s.HintName)));
        string[] stale = Directory.GetFiles(SnapshotFiles.SnapshotsDirectory).Select(Path.GetFileName).Where(f => !expected.Contains(f!)).ToArray()!;

        if (SnapshotFiles.Accepting)
        {
            foreach (string file in stale)
            {
                File.Delete(Path.Combine(SnapshotFiles.SnapshotsDirectory, file));
            }

            return;
        }

        Assert.True(stale.Length == 0, "Snapshots without a model: " + string.Join(", ", stale));
    }

    [Fact]
    public void ManyHeads_GetDefaultAndRequestedSubsets()
    {
        string generated = GeneratorRun.NetworkSource(RunModel("ManyHeadsNet")).SourceText.ToString();
        string[] methods = generated.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("public Losses TrainOn", StringComparison.Ordinal))
            .Select(line => line["public Losses ".Length..line.IndexOf('(', StringComparison.Ordinal)])
            .Distinct()
            .ToArray();

        string[] expected = ["TrainOnA", "TrainOnB", "TrainOnC", "TrainOnD", "TrainOnE", "TrainOnAAndC", "TrainOnBAndDAndE", "TrainOnAAndBAndCAndDAndE"];
        Assert.Equal(expected, methods);
    }

    [Fact]
    public void Normalize_ReplacesTheGeneratorVersion()
    {
        string normalized = SnapshotFiles.Normalize("[global::System.CodeDom.Compiler.GeneratedCode(\"ModelGen.Generator\", \"1.2.3\")]\r\n");

        Assert.Equal("[global::System.CodeDom.Compiler.GeneratedCode(\"ModelGen.Generator\", \"<version>\")]\n", normalized);
    }

    private static string[] ModelNames() =>
        Directory.GetFiles(SnapshotFiles.ModelsDirectory, "*.cs").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToArray();

    private static GeneratorRun RunModel(string model) =>
        GeneratorHarness.Run(File.ReadAllText(Path.Combine(SnapshotFiles.ModelsDirectory, model + ".cs")));
}
