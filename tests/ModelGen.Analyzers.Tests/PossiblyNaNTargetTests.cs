using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using ModelGen.Analyzers.Tests.Infrastructure;
using Xunit;
using static ModelGen.Analyzers.Tests.Infrastructure.TestSources;

namespace ModelGen.Analyzers.Tests;

/// <summary>MG1003: a training target that this method writes NaN into.</summary>
public class PossiblyNaNTargetTests
{
    private static Task ReportsAsync(string source, params DiagnosticResult[] expected) =>
        Verify.AnalyzerAsync(source, UsageDescriptors.PossiblyNaNTarget, expected);

    // ---- Reported ----------------------------------------------------------------------------------------

    [Fact]
    public Task NaNWrittenIntoOneSample_IsReported() => ReportsAsync(
        InMethod("""
            float[] labels = File.ReadAllLines("labels.txt").Select(float.Parse).ToArray();
            labels[2] = float.NaN;
            net.TrainOnOutput1AndOutput2(x, y1, {|#0:labels|});
            """),
        Verify.Diagnostic(UsageDescriptors.PossiblyNaNTarget)
            .WithLocation(0)
            .WithMessage("Target 'output2' of TrainOnOutput1AndOutput2 may contain NaN because this method writes NaN into it, and NaN makes the loss NaN; replace NaN with a finite value before the call and pass 'output2SampleWeights' with weight 0 for the samples without a label"));

    [Fact]
    public Task NaNForUnlabelledSamplesInLoop_IsReported() => ReportsAsync(
        InMethod("""
            var labels = new float[y2.Length];
            for (int i = 0; i < labels.Length; i++)
            {
                labels[i] = y2[i] >= 0f ? y2[i] : float.NaN;
            }

            net.TrainOnOutput1AndOutput2(x, y1, [|labels|]);
            """));

    [Fact]
    public Task NaNArrayOnOnePath_IsReported() => ReportsAsync(
        InMethod("""
            float[] labels = y2;
            if (flag)
            {
                labels = new float[y2.Length];
                Array.Fill(labels, float.NaN);
            }

            net.TrainOnOutput1AndOutput2(x, y1, [|labels|]);
            """));

    [Fact]
    public Task NaNThroughScalarLocal_IsReported() => ReportsAsync(
        InMethod("""
            float missing = float.NaN;
            float[] labels = y2.ToArray();
            labels[0] = missing;
            net.TrainOnOutput1AndOutput2(x, [|labels|], y2);
            """));

    [Fact]
    public Task NaNWrittenThroughSpan_IsReportedOnArray() => ReportsAsync(
        InMethod("""
            float[] labels = y2.ToArray();
            Span<float> view = labels;
            view[1] = float.NaN;
            net.TrainOnOutput1AndOutput2(x, y1, [|labels|]);
            """));

    [Fact]
    public Task ListWithConditionalNaN_IsReported() => ReportsAsync(
        InMethod("""
            var labels = new List<float>();
            foreach (float value in y2)
            {
                labels.Add(value > 0f ? value : float.NaN);
            }

            net3.TrainOnAAndBAndC(image, meta, y1, [|labels.ToArray()|], classes);
            """));

    [Fact]
    public Task WeightOverloadNotUsed_SuggestsSampleWeights() => ReportsAsync(
        InMethod("""
            var weighted = new WeightedNet();
            float[] labels = y2.ToArray();
            labels[0] = float.NaN;
            weighted.TrainOnOutput1AndOutput2(x, y1, {|#0:labels|});
            """),
        Verify.Diagnostic(UsageDescriptors.PossiblyNaNTarget).WithLocation(0).WithArguments(
            "output2",
            "TrainOnOutput1AndOutput2",
            "replace NaN with a finite value before the call and pass 'output2SampleWeights' with weight 0 for the samples without a label"));

    [Fact]
    public Task NaNFillOfPart_IsReported() => ReportsAsync(
        InMethod("""
            float[] labels = y2.ToArray();
            Array.Fill(labels, float.NaN, 0, labels.Length / 2);
            net.TrainOnOutput1AndOutput2(x, y1, [|labels|]);
            """));

    // ---- Not reported ------------------------------------------------------------------------------------

    [Fact]
    public Task OrdinaryData_IsNotReported() => ReportsAsync(
        InMethod("""
            float[] labels = File.ReadAllLines("labels.txt").Select(float.Parse).ToArray();
            for (int i = 0; i < labels.Length; i++)
            {
                labels[i] = labels[i] / 10f;
            }

            net.TrainOnOutput1AndOutput2(x, y1, labels);
            """));

    [Fact]
    public Task NaNReplacedAtSamePosition_IsNotReported() => ReportsAsync(
        InMethod("""
            float[] labels = y2.ToArray();
            labels[2] = float.NaN;
            labels[2] = 0f;
            net.TrainOnOutput1AndOutput2(x, y1, labels);
            """));

    [Fact]
    public Task NaNCheckedAndReplacedInLoop_IsNotReported() => ReportsAsync(
        InMethod("""
            float[] labels = y2.ToArray();
            labels[2] = float.NaN;
            for (int i = 0; i < labels.Length; i++)
            {
                if (float.IsNaN(labels[i]))
                {
                    labels[i] = 0f;
                }
            }

            net.TrainOnOutput1AndOutput2(x, y1, labels);
            """));

    [Fact]
    public Task NaNRejectedByAnyCheck_IsNotReported() => ReportsAsync(
        InMethod("""
            float[] labels = y2.ToArray();
            labels[0] = float.NaN;
            if (labels.Any(float.IsNaN))
            {
                throw new InvalidDataException("labels contain NaN");
            }

            net.TrainOnOutput1AndOutput2(x, y1, labels);
            """));

    [Fact]
    public Task NaNRejectedBySelfComparisonInForeach_IsNotReported() => ReportsAsync(
        InMethod("""
            float[] labels = y2.ToArray();
            labels[0] = float.NaN;
            foreach (float value in labels)
            {
                if (value != value)
                {
                    return;
                }
            }

            net.TrainOnOutput1AndOutput2(x, y1, labels);
            """));

    [Fact]
    public Task NaNReplacedByFill_IsNotReported() => ReportsAsync(
        InMethod("""
            float[] labels = y2.ToArray();
            labels[1] = float.NaN;
            labels.AsSpan().Fill(1f);
            net.TrainOnOutput1AndOutput2(x, y1, labels);
            """));

    [Fact]
    public Task SampleWeightsPassed_IsNotReported() => ReportsAsync(
        InMethod("""
            var weighted = new WeightedNet();
            float[] labels = y2.ToArray();
            var weights = new float[labels.Length];
            for (int i = 0; i < labels.Length; i++)
            {
                weights[i] = labels[i] < 0f ? 0f : 1f;
                labels[i] = labels[i] < 0f ? float.NaN : labels[i];
            }

            weighted.TrainOnOutput2(x, labels, output2SampleWeights: weights);
            """));

    [Fact]
    public Task NaNWrittenAfterCall_IsNotReported() => ReportsAsync(
        InMethod("""
            float[] labels = y2.ToArray();
            net.TrainOnOutput1AndOutput2(x, y1, labels);
            labels[0] = float.NaN;
            """));

    [Fact]
    public Task NaNInOtherArray_IsNotReported() => ReportsAsync(
        InMethod("""
            float[] scratch = y2.ToArray();
            scratch[0] = float.NaN;
            net.TrainOnOutput1AndOutput2(x, y1, y2);
            """));

    [Fact]
    public Task NaNTestedWithLambda_IsNotReported() => ReportsAsync(
        InMethod("""
            float[] labels = y2.ToArray();
            labels[0] = float.NaN;
            int firstMissing = Array.FindIndex(labels, v => !float.IsFinite(v));
            if (firstMissing >= 0)
            {
                labels[firstMissing] = y1[firstMissing];
            }

            net.TrainOnOutput1AndOutput2(x, y1, labels);
            """));
}
