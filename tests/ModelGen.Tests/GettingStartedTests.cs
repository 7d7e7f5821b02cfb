using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ModelGen.Tests.GettingStarted;
using Xunit;

namespace ModelGen.Tests;

/// <summary>Keeps docs/getting-started.md true: its C# blocks compile (they live in GettingStartedSnippets.cs) and run.</summary>
public partial class GettingStartedTests
{
    private static readonly float[] Readings = Enumerable.Range(0, 8 * 6).Select(i => (float)Math.Sin(i)).ToArray();
    private static readonly float[] Temperature = Enumerable.Range(0, 8).Select(i => (float)Math.Cos(i)).ToArray();
    private static readonly int[] Fault = [0, 1, 2, 0, 1, 2, 0, 1];

    [Fact]
    public void EveryCSharpBlock_IsCompiledCode()
    {
        string root = RepositoryRoot();
        string page = File.ReadAllText(Path.Combine(root, "docs", "getting-started.md"));
        string code = Normalize(File.ReadAllText(Path.Combine(root, "tests", "ModelGen.Tests", "GettingStartedSnippets.cs")));
        string[] blocks = CSharpBlock().Matches(page).Select(m => m.Groups[1].Value).ToArray();

        Assert.True(blocks.Length >= 4, $"Expected at least 4 C# blocks, found {blocks.Length}.");
        foreach (string block in blocks)
        {
            Assert.True(code.Contains(Normalize(block), StringComparison.Ordinal), "This block of docs/getting-started.md is not in GettingStartedSnippets.cs:\n" + block);
        }
    }

    [Fact]
    public void TrainSnippet_TrainsOneHeadOnly()
    {
        (float before, float after, bool faultUnchanged) = GettingStartedSnippets.TrainOneHead(Readings, Temperature, Fault);
        Assert.True(after < before, $"Temperature loss went from {before} to {after}.");
        Assert.True(faultUnchanged);
    }

    [Fact]
    public void FreezeSnippet_KeepsTrunk()
    {
        Assert.True(GettingStartedSnippets.Freeze(Readings, Temperature));
    }

    [Fact]
    public void SaveSnippet_RoundTrips()
    {
        string folder = Directory.CreateTempSubdirectory("modelgen-docs").FullName;
        try
        {
            Assert.True(GettingStartedSnippets.SaveAndLoad(Readings, folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // Collapses each run of white space to one space, so that indentation does not matter.
    private static string Normalize(string text) => Whitespace().Replace(text, " ").Trim();

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ModelGen.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("ModelGen.sln was not found above the test's output folder.");
    }

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
