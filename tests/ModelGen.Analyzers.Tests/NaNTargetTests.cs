using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using ModelGen.Analyzers.Tests.Infrastructure;
using Xunit;
using static ModelGen.Analyzers.Tests.Infrastructure.TestSources;

namespace ModelGen.Analyzers.Tests;

/// <summary>MG1002: a training target that is all NaN or certainly contains NaN.</summary>
public class NaNTargetTests
{
    private const string CallOutput1 = "call TrainOnOutput1 to train only the other heads";

    private static Task ReportsAsync(string source, params DiagnosticResult[] expected) =>
        Verify.AnalyzerAsync(source, UsageDescriptors.NaNTarget, expected);

    private static DiagnosticResult AllNaN(int location, string parameter, string method, string advice) =>
        Verify.Diagnostic(UsageDescriptors.NaNTarget).WithLocation(location).WithArguments(parameter, method, "is NaN in every value", advice);

    private static DiagnosticResult PartlyNaN(int location, string parameter, string method, string advice) =>
        Verify.Diagnostic(UsageDescriptors.NaNTarget).WithLocation(location).WithArguments(parameter, method, "contains NaN", advice);

    // ---- Reported ----------------------------------------------------------------------------------------

    [Fact]
    public Task NaNFilledArray_LikeKerasAttempt_SuggestsSubsetMethod() => ReportsAsync(
        InMethod("""
            int batch = x.Length / 4;
            var unlabelled = new float[batch];
            Array.Fill(unlabelled, float.NaN);
            net.TrainOnOutput1AndOutput2(x, y1, {|#0:unlabelled|});
            """),
        Verify.Diagnostic(UsageDescriptors.NaNTarget)
            .WithLocation(0)
            .WithMessage("Target 'output2' of TrainOnOutput1AndOutput2 is NaN in every value, and NaN makes the loss NaN; call TrainOnOutput1 to train only the other heads"));

    [Fact]
    public Task EnumerableRepeatOfNaN_IsReported() => ReportsAsync(
        InMethod("net.TrainOnOutput1AndOutput2(x, y1, {|#0:Enumerable.Repeat(float.NaN, 2).ToArray()|});"),
        AllNaN(0, "output2", "TrainOnOutput1AndOutput2", CallOutput1));

    [Fact]
    public Task ArrayInitialiserOfNaN_IsReported() => ReportsAsync(
        InMethod("net.TrainOnOutput1AndOutput2(x, y1, {|#0:new float[] { float.NaN, float.NaN }|});"),
        AllNaN(0, "output2", "TrainOnOutput1AndOutput2", CallOutput1));

    [Fact]
    public Task CollectionExpressionOfNaNConstants_IsReported() => ReportsAsync(
        InMethod("net.TrainOnOutput1AndOutput2(x, y1, {|#0:[0f / 0f, (float)double.NaN]|});"),
        AllNaN(0, "output2", "TrainOnOutput1AndOutput2", CallOutput1));

    [Fact]
    public Task SpanFillWithNaN_IsReported() => ReportsAsync(
        InMethod("""
            var labels = new float[2];
            labels.AsSpan().Fill(float.NaN);
            net.TrainOnOutput1AndOutput2(x, y1, {|#0:labels|});
            """),
        AllNaN(0, "output2", "TrainOnOutput1AndOutput2", CallOutput1));

    [Fact]
    public Task SpanLocalFilledWithNaN_IsReported() => ReportsAsync(
        InMethod("""
            Span<float> labels = new float[2];
            labels.Fill(float.NaN);
            net.TrainOnOutput1AndOutput2(x, y1, {|#0:labels|});
            """),
        AllNaN(0, "output2", "TrainOnOutput1AndOutput2", CallOutput1));

    [Fact]
    public Task AllNaNLabelsOfOneOfThreeHeads_SuggestsTwoHeadMethod() => ReportsAsync(
        InMethod("""
            var a = new float[2];
            Array.Fill(a, float.NaN);
            net3.TrainOnAAndBAndC(image, meta, {|#0:a|}, y2, classes);
            """),
        AllNaN(0, "a", "TrainOnAAndBAndC", "call TrainOnBAndC to train only the other heads"));

    [Fact]
    public Task SomeNaNInInitialiser_SuggestsSampleWeights() => ReportsAsync(
        InMethod("net.TrainOnOutput1AndOutput2(x, y1, {|#0:new[] { 1f, float.NaN }|});"),
        PartlyNaN(0, "output2", "TrainOnOutput1AndOutput2", "put any finite value in place of NaN and pass 'output2SampleWeights' with weight 0 for the samples without a label"));

    [Fact]
    public Task NaNConstantInCollectionExpression_IsReported() => ReportsAsync(
        InMethod("""
            const float Missing = float.NaN;
            float[] labels = [0.5f, Missing, 2f];
            net.TrainOnOutput1AndOutput2(x, y1, {|#0:labels|});
            """),
        PartlyNaN(0, "output2", "TrainOnOutput1AndOutput2", "put any finite value in place of NaN and pass 'output2SampleWeights' with weight 0 for the samples without a label"));

    [Fact]
    public Task ListWithNaNAdded_IsReported() => ReportsAsync(
        InMethod("""
            var labels = new List<float>();
            labels.Add(1f);
            labels.Add(float.NaN);
            net.TrainOnOutput1(x, {|#0:labels.ToArray()|});
            """),
        PartlyNaN(0, "output1", "TrainOnOutput1", "put any finite value in place of NaN and pass 'output1SampleWeights' with weight 0 for the samples without a label"));

    [Fact]
    public Task WeightOverloadExists_SuggestsSampleWeights() => ReportsAsync(
        InMethod("""
            var weighted = new WeightedNet();
            weighted.TrainOnOutput1AndOutput2(x, y1, {|#0:new[] { 1f, float.NaN }|});
            """),
        PartlyNaN(0, "output2", "TrainOnOutput1AndOutput2", "put any finite value in place of NaN and pass 'output2SampleWeights' with weight 0 for the samples without a label"));

    // ---- Not reported ------------------------------------------------------------------------------------

    [Fact]
    public Task NaNWithWeightsPassed_IsNotReported() => ReportsAsync(
        InMethod("""
            var weighted = new WeightedNet();
            // The runtime skips samples of weight 0 entirely and checks the others, so NaN may stand there.
            weighted.TrainOnOutput1AndOutput2(x, y1, new[] { 1f, float.NaN }, output1SampleWeights: new[] { 1f, 1f }, output2SampleWeights: new[] { 1f, 0f });
            weighted.TrainOnOutput1AndOutput2(x, y1, new[] { float.NaN, float.NaN }, new[] { 1f, 1f }, new[] { 0f, 0f });
            """));

    [Fact]
    public Task FiniteArrays_AreNotReported() => ReportsAsync(
        InMethod("""
            var labels = new float[] { 0f, 1f };
            Array.Fill(labels, 0.5f);
            net.TrainOnOutput1AndOutput2(x, new[] { 1f, 2f }, labels);
            """));

    [Fact]
    public Task DataReadFromFile_IsNotReported() => ReportsAsync(
        InMethod("""
            float[] labels = File.ReadAllLines("labels.csv").Select(line => float.Parse(line, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            net.TrainOnOutput1AndOutput2(x, y1, labels.AsSpan());
            """));

    [Fact]
    public Task NaNFillReplacedByFiniteFill_IsNotReported() => ReportsAsync(
        InMethod("""
            var labels = new float[2];
            Array.Fill(labels, float.NaN);
            Array.Fill(labels, 0f);
            net.TrainOnOutput1AndOutput2(x, y1, labels);
            """));

    [Fact]
    public Task NaNCheckedAndReplaced_IsNotReported() => ReportsAsync(
        InMethod("""
            float[] labels = [1f, float.NaN];
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
    public Task RepeatOfFiniteValue_IsNotReported() => ReportsAsync(
        InMethod("net.TrainOnOutput1AndOutput2(x, y1, Enumerable.Repeat(0f, 2).ToArray());"));

    [Fact]
    public Task NaNInAnotherArray_IsNotReported() => ReportsAsync(
        InMethod("""
            var unused = new[] { float.NaN };
            Console.WriteLine(unused.Length);
            net.TrainOnOutput1AndOutput2(x, y1, y2);
            """));

    [Fact]
    public Task ArrayPassedToUnknownMethodAfterFill_IsNotReported() => ReportsAsync(
        InClass("""
            public static void Run(TwoHeadNet net, float[] x, float[] y1)
            {
                var labels = new float[2];
                Array.Fill(labels, float.NaN);
                Load(labels);
                net.TrainOnOutput1AndOutput2(x, y1, labels);
            }

            private static void Load(float[] destination) => destination[0] = 1f;
            """));

    [Fact]
    public Task ReassignedBeforeCall_IsNotReported() => ReportsAsync(
        InMethod("""
            var labels = Enumerable.Repeat(float.NaN, 2).ToArray();
            labels = y2.ToArray();
            net.TrainOnOutput1AndOutput2(x, y1, labels);
            """));

    [Fact]
    public Task NaNOverwrittenAtSamePosition_IsNotReported() => ReportsAsync(
        InMethod("""
            var labels = new[] { 1f, float.NaN };
            labels[1] = 2f;
            net.TrainOnOutput1AndOutput2(x, y1, labels);
            """));

    [Fact]
    public Task ClassifierLabels_AreNeverNaN() => ReportsAsync(
        InMethod("net3.TrainOnC(image, meta, new[] { 0, 2 });"));
}
