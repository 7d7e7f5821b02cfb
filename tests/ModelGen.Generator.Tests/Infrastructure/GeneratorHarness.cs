using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ModelGen.Generator.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="ModelGenerator"/> through a <see cref="CSharpGeneratorDriver"/> on sources compiled against the
/// .NET reference assemblies and the ModelGen runtime, with nullable enabled, every warning wave on and
/// documentation comments checked (CS1591 for a public member without XML docs).
/// </summary>
internal static class GeneratorHarness
{
    /// <summary>C# 13 is the oldest version the generated code needs (partial properties).</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp13, DocumentationMode.Diagnose);

    public static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        warningLevel: 9999,
        deterministic: true);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "UserModels",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Model{i}.cs")),
            References,
            CompilationOptions);

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new ModelGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(params string[] sources)
    {
        CSharpCompilation input = CreateCompilation(sources);
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        return new GeneratorRun(input, output, driver.GetRunResult());
    }

    /// <summary>
    /// Loads the .NET reference assemblies of the running runtime's version from the SDK's targeting pack next to
    /// it. Without a targeting pack it falls back to the runtime's own assemblies. The ModelGen runtime comes last.
    /// </summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        string packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        string framework = "net" + Environment.Version.ToString(2);
        string? referenceDirectory = Directory.Exists(packs)
            ? Directory.GetDirectories(packs)
                .Select(d => Path.Combine(d, "ref", framework))
                .Where(Directory.Exists)
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;

        IEnumerable<string> files = referenceDirectory is not null
            ? Directory.GetFiles(referenceDirectory, "*.dll")
            : ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Where(f => Path.GetFileName(f).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(f) is "mscorlib.dll" or "netstandard.dll");

        return files
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
            .Append(MetadataReference.CreateFromFile(typeof(ModelAttribute).Assembly.Location))
            .ToImmutableArray();
    }
}

/// <summary>The compilation before and after one generator run, and what the generator reported.</summary>
internal sealed record GeneratorRun(Compilation Input, Compilation Output, GeneratorDriverRunResult Result)
{
    public GeneratorRunResult GeneratorResult => Result.Results.Single();

    /// <summary>Diagnostics that the generator reported (MG codes, and CS8784/CS8785 when it failed).</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics => Result.Diagnostics;

    /// <summary>Compiler diagnostics of the user's sources together with the generated ones.</summary>
    public ImmutableArray<Diagnostic> OutputDiagnostics => Output.GetDiagnostics();

    public ImmutableArray<GeneratedSourceResult> GeneratedSources => GeneratorResult.GeneratedSources;

    /// <summary>The generated network file of a model, as opposed to its training-loop file (<c>.Training.g.cs</c>).</summary>
    public static GeneratedSourceResult NetworkSource(GeneratorRun run) =>
        run.GeneratedSources.Single(s => !s.HintName.EndsWith(".Training.g.cs", StringComparison.Ordinal));

    public static bool IsGenerated(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true;

    /// <summary>Every diagnostic as one line per entry, for assertion messages.</summary>
    public static string Describe(IEnumerable<Diagnostic> diagnostics) =>
        string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString()));
}
