using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using ModelGen.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelGen.Generator.Tests;

/// <summary>
/// Keeps the diagnostic descriptors, docs/diagnostics.md and AnalyzerReleases.Unshipped.md in step, and the
/// generator's copy of the subset limits equal to the runtime's.
/// </summary>
public partial class DiagnosticCatalogTests
{
    private static readonly string s_repository = Path.GetFullPath(Path.Combine(SnapshotFiles.ProjectDirectory, "..", ".."));

    public static TheoryData<string> Ids => new(DiagnosticDescriptors.All.Keys.Order(System.StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_HasHelpLinkAndCategory(string id)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.All[id];

        Assert.Matches("^MG[0-9]{4}$", id);
        Assert.Equal("docs/diagnostics.md#" + id.ToLowerInvariant(), descriptor.HelpLinkUri);
        Assert.Equal("ModelGen.Generator", descriptor.Category);
        Assert.True(descriptor.IsEnabledByDefault);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_HasADocsSection(string id)
    {
        string docs = File.ReadAllText(Path.Combine(s_repository, "docs", "diagnostics.md"));
        string heading = $"### {id}: {DiagnosticDescriptors.All[id].Title}";

        Assert.Contains(heading + "\n", docs.Replace("\r\n", "\n", System.StringComparison.Ordinal), System.StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_IsInTheUnshippedRelease(string id)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.All[id];
        string[] rows = File.ReadAllLines(Path.Combine(s_repository, "generator", "AnalyzerReleases.Unshipped.md"));

        Assert.Contains($"{id} | ModelGen.Generator | {descriptor.DefaultSeverity} | {descriptor.Title}", rows);
    }

    [Fact]
    public void DocsSections_FollowIdOrder()
    {
        string docs = File.ReadAllText(Path.Combine(s_repository, "docs", "diagnostics.md"));
        int generatorHeading = docs.IndexOf("\n## Generator (MG0xxx)\n", System.StringComparison.Ordinal);
        Assert.StartsWith("# Diagnostics\n", docs, System.StringComparison.Ordinal);
        Assert.True(generatorHeading > 0);

        // The usage analyzers (MG1xxx) document their own IDs further down the same page.
        List<string> ids = SectionHeading().Matches(docs).Select(m => m.Groups[1].Value).Where(id => id.StartsWith("MG0", System.StringComparison.Ordinal)).ToList();
        Assert.Equal(ids.Order(System.StringComparer.Ordinal), ids);
        Assert.All(ids, id => Assert.True(DiagnosticDescriptors.All.ContainsKey(id), $"docs/diagnostics.md documents {id}, which no descriptor has."));
        Assert.True(docs.IndexOf("### MG0001", System.StringComparison.Ordinal) > generatorHeading);
    }

    [Fact]
    public void SubsetLimits_MatchTheRuntime()
    {
        Assert.Equal(ModelAttribute.DefaultMaxHeadsForAllSubsets, ModelGenerator.DefaultMaxHeadsForAllSubsets);
        Assert.Equal(ModelAttribute.MaxAllowedHeadsForAllSubsets, ModelGenerator.MaxAllowedHeadsForAllSubsets);
        Assert.Equal(ModelAttribute.DefaultMaxHeadsForAllSubsets, new ModelAttribute().MaxHeadsForAllSubsets);
    }

    [GeneratedRegex("^### (MG[0-9]{4}): ", RegexOptions.Multiline)]
    private static partial Regex SectionHeading();
}
