using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using ModelGen.Analyzers.Tests.Infrastructure;
using Xunit;
using static ModelGen.Analyzers.Tests.Infrastructure.TestSources;

namespace ModelGen.Analyzers.Tests;

/// <summary>
/// MG1002 and MG1003 on the generated Dataset constructor, which rejects NaN targets in rows whose weight is not 0
/// but accepts a null target (a dataset without targets for that head).
/// </summary>
public class DatasetConstructorTests
{
    private const string Constructor = "the TwoHeadNet.Dataset constructor";

    private const string LeaveOutput2Null =
        "leave 'output2' null when no row has a label for head 'Output2', or pass 'output2SampleWeights' with weight 0 for the rows without a label";

    private static Task ReportsAsync(string source, params DiagnosticResult[] expected) =>
        Verify.AnalyzerAsync(source, UsageDescriptors.NaNTarget, expected);

    private static DiagnosticResult AllNaN(int location, string parameter, string constructor, string advice) =>
        Verify.Diagnostic(UsageDescriptors.NaNTarget).WithLocation(location).WithArguments(parameter, constructor, "is NaN in every value", advice);

    private static DiagnosticResult PartlyNaN(int location, string parameter, string constructor, string advice) =>
        Verify.Diagnostic(UsageDescriptors.NaNTarget).WithLocation(location).WithArguments(parameter, constructor, "contains NaN", advice);

    private static DiagnosticResult PossiblyNaN(int location, string parameter, string constructor, string advice) =>
        Verify.Diagnostic(UsageDescriptors.PossiblyNaNTarget).WithLocation(location).WithArguments(parameter, constructor, advice);

    // ---- Reported ----------------------------------------------------------------------------------------

    [Fact]
    public Task NaNLiteralInTargets_IsReported() => ReportsAsync(
        InMethod("var data = new TwoHeadNet.Dataset(x, {|#0:[0.5f, float.NaN, 1f]|});"),
        Verify.Diagnostic(UsageDescriptors.NaNTarget)
            .WithLocation(0)
            .WithMessage("Target 'output1' of the TwoHeadNet.Dataset constructor contains NaN, and NaN makes the loss NaN; pass 'output1SampleWeights' with weight 0 for the rows without a label, whose targets may then stay NaN"));

    [Fact]
    public Task ArrayFilledWithNaN_SuggestsNullTargets() => ReportsAsync(
        InMethod("""
            var unlabelled = new float[x.Length / 4];
            Array.Fill(unlabelled, float.NaN);
            var data = new TwoHeadNet.Dataset(x, y1, {|#0:unlabelled|});
            """),
        Verify.Diagnostic(UsageDescriptors.NaNTarget)
            .WithLocation(0)
            .WithMessage("Target 'output2' of the TwoHeadNet.Dataset constructor is NaN in every value, and NaN makes the loss NaN; " + LeaveOutput2Null));

    [Fact]
    public Task NamedTargetArgument_IsReported() => ReportsAsync(
        InMethod("""
            var unlabelled = new float[2];
            unlabelled.AsSpan().Fill(float.NaN);
            var data = new TwoHeadNet.Dataset(x, output2: {|#0:unlabelled|});
            """),
        AllNaN(0, "output2", Constructor, LeaveOutput2Null));

    [Fact]
    public Task TargetTypedNew_IsReported() => ReportsAsync(
        InMethod("TwoHeadNet.Dataset data = new(x, y1, {|#0:new[] { float.NaN, float.NaN }|});"),
        AllNaN(0, "output2", Constructor, LeaveOutput2Null));

    [Fact]
    public Task NaNInTwoTargets_ReportsEach() => ReportsAsync(
        InMethod("var data = new TwoHeadNet.Dataset(x, {|#0:[1f, float.NaN]|}, {|#1:[float.NaN, float.NaN]|});"),
        PartlyNaN(0, "output1", Constructor, "pass 'output1SampleWeights' with weight 0 for the rows without a label, whose targets may then stay NaN"),
        AllNaN(1, "output2", Constructor, LeaveOutput2Null));

    [Fact]
    public Task WeightsPassedAsNull_IsReported() => ReportsAsync(
        InMethod("var data = new TwoHeadNet.Dataset(x, {|#0:[1f, float.NaN]|}, output1SampleWeights: null);"),
        PartlyNaN(0, "output1", Constructor, "pass 'output1SampleWeights' with weight 0 for the rows without a label, whose targets may then stay NaN"));

    [Fact]
    public Task WeightsOfOtherHead_DoNotHideNaN() => ReportsAsync(
        InMethod("var data = new TwoHeadNet.Dataset(x, y1, {|#0:[1f, float.NaN]|}, output1SampleWeights: [1f, 1f]);"),
        PartlyNaN(0, "output2", Constructor, "pass 'output2SampleWeights' with weight 0 for the rows without a label, whose targets may then stay NaN"));

    [Fact]
    public Task NaNWrittenIntoOneRow_IsPossiblyNaN() => ReportsAsync(
        InMethod("""
            float[] labels = File.ReadAllLines("labels.txt").Select(float.Parse).ToArray();
            labels[2] = float.NaN;
            var data = new TwoHeadNet.Dataset(x, y1, {|#0:labels|});
            """),
        Verify.Diagnostic(UsageDescriptors.PossiblyNaNTarget)
            .WithLocation(0)
            .WithMessage("Target 'output2' of the TwoHeadNet.Dataset constructor may contain NaN because this method writes NaN into it, and NaN makes the loss NaN; replace NaN with a finite value before the call, or pass 'output2SampleWeights' with weight 0 for the rows without a label"));

    [Fact]
    public Task NaNArrayOnOnePath_IsPossiblyNaN() => ReportsAsync(
        InMethod("""
            float[] labels = y2;
            if (flag)
            {
                labels = new float[y2.Length];
                Array.Fill(labels, float.NaN);
            }

            var data = new TwoHeadNet.Dataset(x, y1, {|#0:labels|});
            """),
        PossiblyNaN(0, "output2", Constructor, "replace NaN with a finite value before the call, or pass 'output2SampleWeights' with weight 0 for the rows without a label"));

    [Fact]
    public Task RegressionHeadNextToLabelHead_IsReported() => ReportsAsync(
        InMethod("var data = new ThreeHeadNet.Dataset(image, meta, a: {|#0:[float.NaN, 1f]|}, c: classes);"),
        PartlyNaN(0, "a", "the ThreeHeadNet.Dataset constructor", "pass 'aSampleWeights' with weight 0 for the rows without a label, whose targets may then stay NaN"));

    [Fact]
    public Task DatasetInLambda_IsReported() => ReportsAsync(
        InMethod("""
            Func<float[], TwoHeadNet.Dataset> create = inputs => new TwoHeadNet.Dataset(inputs, {|#0:[float.NaN]|});
            """),
        AllNaN(0, "output1", Constructor, "leave 'output1' null when no row has a label for head 'Output1', or pass 'output1SampleWeights' with weight 0 for the rows without a label"));

    // ---- Not reported ------------------------------------------------------------------------------------

    [Fact]
    public Task NullTargets_AreNotReported() => ReportsAsync(
        InMethod("""
            // A dataset without targets for a head is legal, e.g. for prediction or to train the other head.
            var inputsOnly = new TwoHeadNet.Dataset(x);
            var firstHead = new TwoHeadNet.Dataset(x, y1, null);
            var secondHead = new TwoHeadNet.Dataset(x, output1: default, output2: y2);
            float[]? none = null;
            var fromLocal = new TwoHeadNet.Dataset(x, none, none);
            """));

    [Fact]
    public Task NullInput_IsReported() => Verify.AnalyzerAsync(
        InMethod("var data = new TwoHeadNet.Dataset({|#0:null!|}, y1);"),
        UsageDescriptors.NullInput,
        Verify.Diagnostic(UsageDescriptors.NullInput)
            .WithLocation(0)
            .WithMessage("Input 'x' of the TwoHeadNet.Dataset constructor is null; pass the values of input 'X', one row per sample"));

    [Fact]
    public Task NaNWithWeightsPassed_IsNotReported() => ReportsAsync(
        InMethod("""
            // The constructor accepts NaN in rows of weight 0 and checks the other rows.
            var partly = new TwoHeadNet.Dataset(x, y1, [1f, float.NaN], output2SampleWeights: [1f, 0f]);
            var unlabelled = new float[2];
            Array.Fill(unlabelled, float.NaN);
            var all = new TwoHeadNet.Dataset(x, unlabelled, unlabelled, [0f, 0f], [0f, 0f]);
            """));

    [Fact]
    public Task PossibleNaNWithWeightsPassed_IsNotReported() => ReportsAsync(
        InMethod("""
            float[] labels = y2.ToArray();
            float[] weights = new float[labels.Length];
            Array.Fill(weights, 1f);
            labels[0] = float.NaN;
            weights[0] = 0f;
            var data = new TwoHeadNet.Dataset(x, y1, labels, output2SampleWeights: weights);
            """));

    [Fact]
    public Task NaNCheckedBeforeConstructor_IsNotReported() => ReportsAsync(
        InMethod("""
            float[] labels = y2.ToArray();
            labels[1] = float.NaN;
            if (labels.Any(float.IsNaN))
            {
                throw new ArgumentException("Labels contain NaN.");
            }

            var data = new TwoHeadNet.Dataset(x, y1, labels);
            """));

    [Fact]
    public Task NaNReplacedBeforeConstructor_IsNotReported() => ReportsAsync(
        InMethod("""
            var labels = new float[2];
            Array.Fill(labels, float.NaN);
            Array.Fill(labels, 0f);
            var data = new TwoHeadNet.Dataset(x, y1, labels);
            """));

    [Fact]
    public Task LabelHeads_AreNotReported() => ReportsAsync(
        InMethod("""
            // Labels are int: no NaN can reach them, and a missing label (-1) is the runtime's check, not this one.
            var labels = new int[2];
            Array.Fill(labels, -1);
            float missing = float.NaN;
            labels[0] = (int)missing;
            var data = new ThreeHeadNet.Dataset(image, meta, c: labels);
            var withWeights = new ThreeHeadNet.Dataset(image, meta, a: y1, c: labels, cSampleWeights: [0f, 0f]);
            """));

    [Fact]
    public Task FiniteTargets_AreNotReported() => ReportsAsync(
        InMethod("""
            var data = new TwoHeadNet.Dataset(x, [0.5f, 1f], y2);
            var copy = new TwoHeadNet.Dataset(x.ToArray(), y1.ToArray(), y2.Select(v => v * 2f).ToArray());
            """));

    // ---- Training methods next to the constructor --------------------------------------------------------

    [Fact]
    public Task TrainingCallNextToDataset_KeepsItsDiagnostics() => ReportsAsync(
        InMethod("""
            var unlabelled = new float[2];
            Array.Fill(unlabelled, float.NaN);
            var data = new TwoHeadNet.Dataset(x, y1, {|#0:unlabelled|});
            net.TrainOnOutput1AndOutput2(x, {|#1:null|}, y2);
            net.TrainOnOutput1AndOutput2(x, y1, {|#2:unlabelled|});
            """),
        AllNaN(0, "output2", Constructor, LeaveOutput2Null),
        Verify.Diagnostic(UsageDescriptors.NullTarget)
            .WithLocation(1)
            .WithMessage("Target 'output1' of TrainOnOutput1AndOutput2 is null; call TrainOnOutput2 to train only the other heads"),
        Verify.Diagnostic(UsageDescriptors.NaNTarget)
            .WithLocation(2)
            .WithMessage("Target 'output2' of TrainOnOutput1AndOutput2 is NaN in every value, and NaN makes the loss NaN; call TrainOnOutput1 to train only the other heads"));

    [Fact]
    public Task AllNaNDatasetTarget_OffersNoFix()
    {
        string source = InMethod("""
            var unlabelled = new float[2];
            Array.Fill(unlabelled, float.NaN);
            var data = new TwoHeadNet.Dataset(x, y1, [|unlabelled|]);
            """);
        return Verify.CodeFixAsync(source, source, UsageDescriptors.NaNTarget);
    }
}
