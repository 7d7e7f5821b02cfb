using System.Threading.Tasks;
using ModelGen.Analyzers.Tests.Infrastructure;
using Xunit;
using static ModelGen.Analyzers.Tests.Infrastructure.TestSources;

namespace ModelGen.Analyzers.Tests;

/// <summary>MG1001: a training target that is certainly null.</summary>
public class NullTargetTests
{
    private static Task ReportsAsync(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected) =>
        Verify.AnalyzerAsync(source, UsageDescriptors.NullTarget, expected);

    // ---- Reported ----------------------------------------------------------------------------------------

    [Fact]
    public Task NullLiteral_LikeKerasNone_NamesHeadAndSubsetMethod() => ReportsAsync(
        InMethod("net.TrainOnOutput1AndOutput2(x, {|#0:null|}, y2);"),
        Verify.Diagnostic(UsageDescriptors.NullTarget)
            .WithLocation(0)
            .WithMessage("Target 'output1' of TrainOnOutput1AndOutput2 is null; call TrainOnOutput2 to train only the other heads"));

    [Fact]
    public Task DefaultLiteral_IsReported() => ReportsAsync(
        InMethod("net.TrainOnOutput1AndOutput2(x, y1, [|default|]);"));

    [Fact]
    public Task SuppressedNull_IsReported() => ReportsAsync(
        InMethod("net.TrainOnOutput1AndOutput2(x, [|null!|], y2);"));

    [Fact]
    public Task CastNull_IsReported() => ReportsAsync(
        InMethod("net.TrainOnOutput1AndOutput2(x, [|(float[]?)null|], y2);"));

    [Fact]
    public Task DefaultOfSpanType_IsReported() => ReportsAsync(
        InMethod("net.TrainOnOutput1AndOutput2(x, [|default(ReadOnlySpan<float>)|], y2);"));

    [Fact]
    public Task LocalWhoseOnlyValueIsNull_IsReported() => ReportsAsync(
        InMethod("""
            float[]? labels = null;
            if (flag)
            {
                Console.WriteLine("training");
            }

            net.TrainOnOutput1AndOutput2(x, [|labels|], y2);
            """));

    [Fact]
    public Task SpanLocalAssignedDefault_IsReported() => ReportsAsync(
        InMethod("""
            ReadOnlySpan<float> none = default;
            net.TrainOnOutput1AndOutput2(x, y1, [|none|]);
            """));

    [Fact]
    public Task NullOnEveryPath_IsReported() => ReportsAsync(
        InMethod("""
            float[]? labels = flag ? null : default;
            net.TrainOnOutput1AndOutput2(x, [|labels|], y2);
            """));

    [Fact]
    public Task ReadonlyFieldInitialisedToNull_IsReported() => ReportsAsync(
        InClass("""
            private static readonly float[]? NoLabels = null;

            public static void Run(TwoHeadNet net, float[] x, float[] y2) =>
                net.TrainOnOutput1AndOutput2(x, [|NoLabels|], y2);
            """));

    [Fact]
    public Task NamedArgumentsOutOfOrder_ReportTheNullOne() => ReportsAsync(
        InMethod("net.TrainOnOutput1AndOutput2(output2: y2, output1: {|#0:null|}, x: x);"),
        Verify.Diagnostic(UsageDescriptors.NullTarget)
            .WithLocation(0)
            .WithArguments("output1", "TrainOnOutput1AndOutput2", "call TrainOnOutput2 to train only the other heads"));

    [Fact]
    public Task InsideNullCheck_IsReported() => ReportsAsync(
        InMethod("""
            if (y1 is null)
            {
                net.TrainOnOutput1AndOutput2(x, [|y1|], y2);
            }
            """));

    [Fact]
    public Task TwoNullTargets_BothNameTheOneHeadMethod() => ReportsAsync(
        InMethod("net3.TrainOnAAndBAndC(image, meta, {|#0:null|}, {|#1:null|}, classes);"),
        Verify.Diagnostic(UsageDescriptors.NullTarget).WithLocation(0)
            .WithArguments("a", "TrainOnAAndBAndC", "call TrainOnC to train only the other heads"),
        Verify.Diagnostic(UsageDescriptors.NullTarget).WithLocation(1)
            .WithArguments("b", "TrainOnAAndBAndC", "call TrainOnC to train only the other heads"));

    [Fact]
    public Task NullLabelsOfClassifier_IsReported() => ReportsAsync(
        InMethod("net3.TrainOnAAndC(image, meta, y1, [|null|]);"));

    [Fact]
    public Task OnlyTargetNull_SaysNoHeadIsLeft() => ReportsAsync(
        InMethod("net.TrainOnOutput1(x, {|#0:null|});"),
        Verify.Diagnostic(UsageDescriptors.NullTarget).WithLocation(0)
            .WithArguments("output1", "TrainOnOutput1", "no head is left to train, so remove the call"));

    [Fact]
    public Task SubsetMethodMissing_SaysWhichHeadsRemain() => ReportsAsync(
        InMethod("""
            var limited = new LimitedNet();
            limited.TrainOnAAndBAndC(x, {|#0:null|}, y1, y2);
            """),
        Verify.Diagnostic(UsageDescriptors.NullTarget).WithLocation(0)
            .WithArguments("a", "TrainOnAAndBAndC", "no generated method trains exactly the remaining heads 'B' and 'C', so call one that trains a subset of them"));

    [Fact]
    public Task ThroughMethodGroupDelegate_IsReported() => ReportsAsync(
        InMethod("""
            // The method group has two overloads (with and without sample weights), so the delegate type is explicit.
            Func<ReadOnlySpan<float>, ReadOnlySpan<float>, ReadOnlySpan<float>, TwoHeadNet.Losses> train = net.TrainOnOutput1AndOutput2;
            train(x, [|null|], y2);
            """));

    [Fact]
    public Task ReducedExtensionMethod_IsReported() => ReportsAsync(
        InMethod("net.TrainBoth(x, [|null|], y2);"));

    [Fact]
    public Task InsideLambda_IsReported() => ReportsAsync(
        InMethod("""
            Action step = () => net.TrainOnOutput1AndOutput2(x, [|null|], y2);
            step();
            """));

    [Fact]
    public Task InsideLocalFunction_IsReported() => ReportsAsync(
        InMethod("""
            Step();

            void Step()
            {
                float[]? missing = null;
                net.TrainOnOutput1AndOutput2(x, [|missing|], y2);
            }
            """));

    // ---- Not reported ------------------------------------------------------------------------------------

    [Fact]
    public Task FiniteArrays_AreNotReported() => ReportsAsync(
        InMethod("net.TrainOnOutput1AndOutput2(x, new float[] { 1f, 2f }, [3f, 4f]);"));

    [Fact]
    public Task DataReadFromFile_IsNotReported() => ReportsAsync(
        InMethod("""
            float[] labels = File.ReadAllLines("labels.txt").Select(float.Parse).ToArray();
            ReadOnlySpan<float> span = labels;
            net.TrainOnOutput1AndOutput2(x, span, labels);
            """));

    [Fact]
    public Task NullOnOnePathOnly_IsNotReported() => ReportsAsync(
        InMethod("""
            float[]? labels = null;
            if (File.Exists("labels.txt"))
            {
                labels = File.ReadAllLines("labels.txt").Select(float.Parse).ToArray();
            }

            net.TrainOnOutput1AndOutput2(x, labels, y2);
            """));

    [Fact]
    public Task NullReplacedBeforeCall_IsNotReported() => ReportsAsync(
        InMethod("""
            float[]? labels = null;
            labels ??= y1;
            net.TrainOnOutput1AndOutput2(x, labels, y2);
            labels = null;
            """));

    [Fact]
    public Task AfterNotNullCheck_IsNotReported() => ReportsAsync(
        InMethod("""
            if (y1 is not null)
            {
                net.TrainOnOutput1AndOutput2(x, y1, y2);
            }
            else
            {
                net.TrainOnOutput2(x, y2);
            }
            """));

    [Fact]
    public Task EmptyArray_IsNotReportedAsNull() => ReportsAsync(
        InMethod("net.TrainOnOutput1AndOutput2(x, Array.Empty<float>(), y2);"));

    [Fact]
    public Task LocalAssignedInLambda_IsNotReported() => ReportsAsync(
        InMethod("""
            float[]? labels = null;
            Action load = () => labels = y1;
            load();
            net.TrainOnOutput1AndOutput2(x, labels, y2);
            """));

    [Fact]
    public Task FieldAssignedElsewhere_IsNotReported() => ReportsAsync(
        InClass("""
            private static float[]? s_labels;

            public static void Load(float[] labels) => s_labels = labels;

            public static void Run(TwoHeadNet net, float[] x, float[] y2) =>
                net.TrainOnOutput1AndOutput2(x, s_labels, y2);
            """));

    [Fact]
    public Task NullOutputBuffer_IsNotATarget() => ReportsAsync(
        InMethod("net.Predict(x, null, new float[1]);"));

    [Fact]
    public Task MethodWithoutModelGenAttributes_IsNotReported() => ReportsAsync(
        InClass("""
            public static float TrainOnOutput1AndOutput2(ReadOnlySpan<float> x, ReadOnlySpan<float> output1, ReadOnlySpan<float> output2) => 0f;

            public static void Run(float[] x, float[] y2) => TrainOnOutput1AndOutput2(x, null, y2);
            """));
}
