using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using ModelGen.Analyzers.CodeFixes;
using ModelGen.Generator;

namespace ModelGen.Analyzers.Tests.Infrastructure;

/// <summary>
/// References of the test compilations: the .NET 10 reference assemblies of the installed SDK (the testing
/// library's net10.0 preset needs packages that may not be reachable) and the built ModelGen runtime.
/// </summary>
internal static class TestReferences
{
    public static readonly ReferenceAssemblies None = new("net10.0");

    public static readonly ImmutableArray<MetadataReference> All = Load();

    private static ImmutableArray<MetadataReference> Load()
    {
        IEnumerable<string> framework = FindReferencePack() ?? RuntimeAssemblies();
        return framework
            .Append(typeof(TrainingMethodAttribute).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }

    /// <summary>Finds packs/Microsoft.NETCore.App.Ref/&lt;version&gt;/ref/net&lt;major&gt;.0 of the running .NET.</summary>
    private static string[]? FindReferencePack()
    {
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        string packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        string framework = $"net{Environment.Version.Major}.0";
        if (!Directory.Exists(packs))
        {
            return null;
        }

        string? directory = Directory.GetDirectories(packs)
            .Select(version => Path.Combine(version, "ref", framework))
            .Where(Directory.Exists)
            .OrderByDescending(path => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))), out Version? v) ? v : new Version())
            .FirstOrDefault();
        return directory is null ? null : Directory.GetFiles(directory, "*.dll");
    }

    /// <summary>Falls back to the running runtime's own assemblies when no reference pack is installed.</summary>
    private static IEnumerable<string> RuntimeAssemblies() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(path) == "netstandard.dll");
}

/// <summary>
/// An analyzer test that runs the real ModelGen generator on the sources, so that the analyzer sees the
/// generated methods and their attributes exactly as a user's build does.
/// </summary>
internal sealed class AnalyzerTest : CSharpAnalyzerTest<TrainingCallAnalyzer, DefaultVerifier>
{
    public AnalyzerTest(DiagnosticDescriptor? defaultDescriptor = null)
    {
        DefaultDescriptor = defaultDescriptor;

        // The generated sources are the generator's concern; these tests check the analyzer.
        TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck;
        ReferenceAssemblies = TestReferences.None;
        TestState.AdditionalReferences.AddRange(TestReferences.All);
    }

    /// <summary>Descriptor that <c>[|…|]</c> markup stands for.</summary>
    public DiagnosticDescriptor? DefaultDescriptor { get; }

    protected override IEnumerable<Type> GetSourceGenerators() => [typeof(ModelGenerator)];

    protected override DiagnosticDescriptor? GetDefaultDiagnostic(DiagnosticAnalyzer[] analyzers) => DefaultDescriptor;
}

/// <summary>A code fix test, with the real generator, that also checks Fix All in document, project and solution.</summary>
internal sealed class CodeFixTest : CSharpCodeFixTest<TrainingCallAnalyzer, CallSubsetMethodCodeFixProvider, DefaultVerifier>
{
    public CodeFixTest(DiagnosticDescriptor? defaultDescriptor = null)
    {
        DefaultDescriptor = defaultDescriptor;
        TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck;
        ReferenceAssemblies = TestReferences.None;
        TestState.AdditionalReferences.AddRange(TestReferences.All);
    }

    public DiagnosticDescriptor? DefaultDescriptor { get; }

    protected override IEnumerable<Type> GetSourceGenerators() => [typeof(ModelGenerator)];

    protected override DiagnosticDescriptor? GetDefaultDiagnostic(DiagnosticAnalyzer[] analyzers) => DefaultDescriptor;
}
