using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelGen.Generator.Model;
using ModelGen.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelGen.Generator.Tests;

/// <summary>
/// Checks the incremental pipeline: edits that leave a model alone must not re-run the emitter, an edit to
/// the model must, and no pipeline value may hold compiler objects (which would keep old compilations alive
/// and defeat the caching).
/// </summary>
public class IncrementalTests
{
    private const string ModelSource = """
        using ModelGen;

        namespace Demo;

        [Model(Seed = 42)]
        public sealed partial class TwoHeadNet
        {
            [Input(32)]
            public partial InputLayer X { get; }

            [Dense(32, Activation = Activation.Relu, From = nameof(X))]
            public partial DenseLayer Hidden { get; }

            [Dense(1, From = nameof(Hidden))]
            [Head(Loss.MeanSquaredError)]
            public partial DenseLayer Output1 { get; }

            [Dense(1, From = nameof(Hidden))]
            [Head(Loss.MeanSquaredError)]
            public partial DenseLayer Output2 { get; }
        }

        public static class Helper
        {
            public static int Answer() => 41 + 1;
        }
        """;

    private const string OtherSource = """
        namespace Demo;

        public static class Other
        {
            public static int Value() => 1;
        }
        """;

    private static readonly string[] s_steps =
    {
        ModelGenerator.StepNames.Parse,
        ModelGenerator.StepNames.Models,
        ModelGenerator.StepNames.Diagnostics,
        ModelGenerator.StepNames.Stubs,
    };

    public static TheoryData<string, string, string> EditsOutsideTheModel => new()
    {
        { "a comment above the model", "namespace Demo;\n", "namespace Demo;\n\n// A comment that moves the model down one line.\n" },
        { "a method body in the same file", "41 + 1", "40 + 2" },
        { "a new class in the same file", "public static class Helper", "public sealed class Added\n{\n}\n\npublic static class Helper" },
        { "a comment inside the model", "public partial InputLayer X { get; }", "public partial InputLayer X { get; } // the features" },
    };

    [Theory]
    [MemberData(nameof(EditsOutsideTheModel))]
    public void EditOutsideModel_KeepsStepsCached(string edit, string oldText, string newText)
    {
        Assert.Contains(oldText, ModelSource, StringComparison.Ordinal);
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce(ModelSource, OtherSource);

        CSharpCompilation edited = ReplaceTree(compilation, 0, ModelSource.Replace(oldText, newText, StringComparison.Ordinal));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in s_steps)
        {
            AssertReasons(result, step, edit, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        }

        AssertSourceOutputsNotRerun(result, edit);
    }

    [Fact]
    public void EditInAnotherFile_KeepsStepsCached()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce(ModelSource, OtherSource);

        CSharpCompilation edited = ReplaceTree(compilation, 1, OtherSource.Replace("=> 1;", "=> 2;", StringComparison.Ordinal));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in s_steps)
        {
            AssertReasons(result, step, "an edit in another file", IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        }

        AssertSourceOutputsNotRerun(result, "an edit in another file");
    }

    [Fact]
    public void NewFile_KeepsStepsCached()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce(ModelSource, OtherSource);

        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Demo; public sealed class Later { }", GeneratorHarness.ParseOptions, path: "Later.cs"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in s_steps)
        {
            AssertReasons(result, step, "a new file", IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        }

        AssertSourceOutputsNotRerun(result, "a new file");
    }

    [Fact]
    public void UnitCountEdit_ModifiesTheModelStep()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce(ModelSource, OtherSource);

        CSharpCompilation edited = ReplaceTree(compilation, 0, ModelSource.Replace("[Dense(32,", "[Dense(16,", StringComparison.Ordinal));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertReasons(result, ModelGenerator.StepNames.Parse, "a unit count", IncrementalStepRunReason.Modified);
        AssertReasons(result, ModelGenerator.StepNames.Models, "a unit count", IncrementalStepRunReason.Modified);
        AssertReasons(result, ModelGenerator.StepNames.Diagnostics, "a unit count", IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        Assert.Contains("new(16)", result.GeneratedSources.Single(s => !s.HintName.EndsWith(".Training.g.cs", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MovedWarning_ReReportsDiagnosticsOnly()
    {
        // MG0015 for 'Spare' carries a location, so moving the model changes the diagnostics but not the spec.
        string source = ModelSource.Replace(
            "public partial InputLayer X { get; }",
            "public partial InputLayer X { get; }\n\n    [Dense(2, From = nameof(X))]\n    public partial DenseLayer Spare { get; }",
            StringComparison.Ordinal);
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce(source, OtherSource);

        CSharpCompilation edited = ReplaceTree(compilation, 0, source.Replace("namespace Demo;\n", "namespace Demo;\n\n// Moves the model.\n", StringComparison.Ordinal));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertReasons(result, ModelGenerator.StepNames.Diagnostics, "a moved warning", IncrementalStepRunReason.Modified);
        AssertReasons(result, ModelGenerator.StepNames.Models, "a moved warning", IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void PipelineTypes_HoldNoCompilerObjects()
    {
        var problems = new List<string>();
        WalkType(typeof(ModelParseResult), nameof(ModelParseResult), new HashSet<Type>(), problems);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void PipelineValues_HoldNoCompilerObjects()
    {
        string invalid = ModelSource.Replace("[Dense(32,", "[Dense(0,", StringComparison.Ordinal);
        foreach (string source in new[] { ModelSource, invalid })
        {
            GeneratorRunResult result = GeneratorHarness.Run(source).GeneratorResult;
            var problems = new List<string>();
            int values = 0;
            foreach (string step in s_steps)
            {
                if (!result.TrackedSteps.TryGetValue(step, out var runs))
                {
                    continue;
                }

                foreach ((object value, IncrementalStepRunReason _) in runs.SelectMany(s => s.Outputs))
                {
                    values++;
                    WalkValue(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance), problems);
                }
            }

            Assert.True(values >= 2, "The pipeline produced too few values to check.");
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }
    }

    [Fact]
    public void WalkType_FindsACompilerObject()
    {
        var problems = new List<string>();
        WalkType(typeof(Probe), nameof(Probe), new HashSet<Type>(), problems);

        Assert.Single(problems);
    }

    private sealed record Probe(string Name, Location Where);

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) RunOnce(params string[] sources)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(sources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        Assert.Empty(driver.GetRunResult().Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        return (driver, compilation);
    }

    private static CSharpCompilation ReplaceTree(CSharpCompilation compilation, int index, string source)
    {
        SyntaxTree old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: old.FilePath));
    }

    private static void AssertReasons(GeneratorRunResult result, string step, string edit, params IncrementalStepRunReason[] allowed)
    {
        // A filter step that lets nothing through records no run at all: Stubs and Diagnostics for a valid model
        // without warnings.
        bool tracked = result.TrackedSteps.TryGetValue(step, out var runs);
        bool filter = step is ModelGenerator.StepNames.Stubs or ModelGenerator.StepNames.Diagnostics;
        Assert.True(tracked || filter, $"Step {step} was not tracked.");
        IncrementalStepRunReason[] reasons = tracked ? runs!.SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray() : [];
        Assert.True(tracked || !allowed.Contains(IncrementalStepRunReason.Modified), $"Step {step} was expected to run.");
        Assert.All(reasons, reason => Assert.True(allowed.Contains(reason), $"After {edit}, step {step} was {reason}; expected {string.Join(" or ", allowed)}."));
    }

    private static void AssertSourceOutputsNotRerun(GeneratorRunResult result, string edit)
    {
        IncrementalStepRunReason[] reasons = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"After {edit}, a source output was {reason}."));
    }

    private static readonly Type[] s_compilerTypes =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation),
        typeof(SemanticModel), typeof(AttributeData), typeof(SyntaxReference), typeof(SyntaxToken), typeof(TypedConstant),
    };

    private static bool IsCompilerType(Type type) => s_compilerTypes.Any(t => t.IsAssignableFrom(type));

    /// <summary>Walks every field type reachable from <paramref name="type"/> and lists compiler types or fields it cannot prove free of them.</summary>
    private static void WalkType(Type type, string path, HashSet<Type> seen, List<string> problems)
    {
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || !seen.Add(type))
        {
            return;
        }

        if (IsCompilerType(type))
        {
            problems.Add($"{path} is a {type.FullName}");
            return;
        }

        if (type == typeof(object) || type.IsInterface || (type.IsClass && !type.IsSealed && !type.IsArray))
        {
            problems.Add($"{path} is of the open type {type.FullName}, which could hold anything");
            return;
        }

        if (type.IsArray)
        {
            WalkType(type.GetElementType()!, path + "[]", seen, problems);
            return;
        }

        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            WalkType(field.FieldType, path + "." + field.Name, seen, problems);
        }
    }

    /// <summary>Walks the objects reachable from <paramref name="value"/> through fields and lists compiler objects.</summary>
    private static void WalkValue(object? value, string path, HashSet<object> seen, List<string> problems)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        if (!value.GetType().IsValueType && !seen.Add(value))
        {
            return;
        }

        if (IsCompilerType(value.GetType()))
        {
            problems.Add($"{path} holds a {value.GetType().FullName}");
            return;
        }

        if (value is IEnumerable items && value is not string)
        {
            int i = 0;
            foreach (object? item in items)
            {
                WalkValue(item, $"{path}[{i++}]", seen, problems);
            }
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            WalkValue(field.GetValue(value), path + "." + field.Name, seen, problems);
        }
    }
}
