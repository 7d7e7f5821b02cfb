using System.Threading.Tasks;
using ModelGen.Analyzers.Tests.Infrastructure;
using Xunit;
using static ModelGen.Analyzers.Tests.Infrastructure.TestSources;

namespace ModelGen.Analyzers.Tests;

/// <summary>The code fix of MG1001 and MG1002: call the generated method for the remaining heads.</summary>
public class CallSubsetMethodCodeFixTests
{
    private static Task FixesNullAsync(string source, string fixedSource) =>
        Verify.CodeFixAsync(source, fixedSource, UsageDescriptors.NullTarget);

    [Fact]
    public Task NullSecondArgument_CallsOtherHeadMethod() => FixesNullAsync(
        InMethod("net.TrainOnOutput1AndOutput2(x, [|null|], y2);"),
        InMethod("net.TrainOnOutput2(x, y2);"));

    [Fact]
    public Task NullLastArgument_KeepsResultUse() => FixesNullAsync(
        InMethod("""
            var losses = net.TrainOnOutput1AndOutput2(x, y1, [|default|]);
            Console.WriteLine(losses);
            """),
        InMethod("""
            var losses = net.TrainOnOutput1(x, y1);
            Console.WriteLine(losses);
            """));

    [Fact]
    public Task NamedArgumentsOutOfOrder_KeepTheirOrderAndNames() => FixesNullAsync(
        InMethod("net.TrainOnOutput1AndOutput2(output2: y2, output1: [|null|], x: x);"),
        InMethod("net.TrainOnOutput2(output2: y2, x: x);"));

    [Fact]
    public Task NamedArgumentInPosition_IsRemovedWithItsName() => FixesNullAsync(
        InMethod("net.TrainOnOutput1AndOutput2(x, output1: [|null|], y2);"),
        InMethod("net.TrainOnOutput2(x, y2);"));

    [Fact]
    public Task MultiLineCall_KeepsLayoutAndComments() => FixesNullAsync(
        InMethod("""
            var losses = net.TrainOnOutput1AndOutput2(
                x, // features, batch x 4
                [|null|], // no labels for output1 yet
                y2 /* regression target */);
            """),
        InMethod("""
            var losses = net.TrainOnOutput1AndOutput2(
                x, // features, batch x 4
                y2 /* regression target */);
            """.Replace("TrainOnOutput1AndOutput2", "TrainOnOutput2")));

    [Fact]
    public Task CommentAfterRemovedLastArgument_StaysWithPreviousArgument() => FixesNullAsync(
        InMethod("""
            net.TrainOnOutput1AndOutput2(
                x,
                y1, // labelled
                [|null|]);
            """),
        InMethod("""
            net.TrainOnOutput1(
                x,
                y1 // labelled
                );
            """));

    [Fact]
    public Task NullConditionalCall_IsRewritten() => FixesNullAsync(
        InClass("""
            public static void Run(TwoHeadNet? net, float[] x, float[] y2) =>
                net?.TrainOnOutput1AndOutput2(x, [|null|], y2);
            """),
        InClass("""
            public static void Run(TwoHeadNet? net, float[] x, float[] y2) =>
                net?.TrainOnOutput2(x, y2);
            """));

    [Fact]
    public Task CallInsideModelClass_IsRewritten() => FixesNullAsync(
        """
        namespace Demo;

        public sealed partial class TwoHeadNet
        {
            public void TrainSecondHead(float[] x, float[] y2) => TrainOnOutput1AndOutput2(x, [|null|], y2);
        }
        """,
        """
        namespace Demo;

        public sealed partial class TwoHeadNet
        {
            public void TrainSecondHead(float[] x, float[] y2) => TrainOnOutput2(x, y2);
        }
        """);

    [Fact]
    public Task ExtensionMethodWithOtherParameterOrder_NamesArguments() => FixesNullAsync(
        InMethod("net.TrainBoth(x, [|null|], y2);"),
        InMethod("net.TrainSecond(x: x, output2: y2);"));

    [Fact]
    public Task SampleWeightsOfDroppedHead_AreRemovedToo() => FixesNullAsync(
        InMethod("""
            var weighted = new WeightedNet();
            weighted.TrainOnOutput1AndOutput2(x, [|null|], y2, output1SampleWeights: new float[2], output2SampleWeights: y1);
            """),
        InMethod("""
            var weighted = new WeightedNet();
            weighted.TrainOnOutput2(x, y2, output2SampleWeights: y1);
            """));

    [Fact]
    public Task TwoNullTargets_OneRewriteRemovesBoth() => FixesNullAsync(
        InMethod("net3.TrainOnAAndBAndC(image, meta, [|null|], [|null|], classes);"),
        InMethod("net3.TrainOnC(image, meta, classes);"));

    [Fact]
    public Task FixAll_RewritesEveryCallInDocument() => FixesNullAsync(
        InMethod("""
            net.TrainOnOutput1AndOutput2(x, [|null|], y2);
            float[]? missing = null;
            net.TrainOnOutput1AndOutput2(x, y1, [|missing|]);
            net3.TrainOnAAndBAndC(image, meta, y1, [|null|], classes);
            """),
        InMethod("""
            net.TrainOnOutput2(x, y2);
            float[]? missing = null;
            net.TrainOnOutput1(x, y1);
            net3.TrainOnAAndC(image, meta, y1, classes);
            """));

    [Fact]
    public Task AllNaNTarget_CallsOtherHeadMethod() => Verify.CodeFixAsync(
        InMethod("net.TrainOnOutput1AndOutput2(x, y1, [|Enumerable.Repeat(float.NaN, 2).ToArray()|]);"),
        InMethod("net.TrainOnOutput1(x, y1);"),
        UsageDescriptors.NaNTarget);

    [Fact]
    public Task NullAndAllNaNInOneCall_BothHeadsRemoved() => Verify.CodeFixAsync(
        InMethod("""
            var b = new float[2];
            Array.Fill(b, float.NaN);
            net3.TrainOnAAndBAndC(image, meta, {|MG1001:null|}, {|MG1002:b|}, classes);
            """),
        InMethod("""
            var b = new float[2];
            Array.Fill(b, float.NaN);
            net3.TrainOnC(image, meta, classes);
            """),
        UsageDescriptors.NaNTarget);

    [Fact]
    public Task SubsetMethodMissing_OffersNoFix()
    {
        string source = InMethod("""
            var limited = new LimitedNet();
            limited.TrainOnAAndBAndC(x, [|null|], y1, y2);
            """);
        return FixesNullAsync(source, source);
    }

    [Fact]
    public Task PartlyNaNTarget_OffersNoFix()
    {
        string source = InMethod("net.TrainOnOutput1AndOutput2(x, y1, [|new[] { 1f, float.NaN }|]);");
        return Verify.CodeFixAsync(source, source, UsageDescriptors.NaNTarget);
    }

    [Fact]
    public Task CallThroughDelegate_OffersNoFix()
    {
        string source = InMethod("""
            // The method group has two overloads (with and without sample weights), so the delegate type is explicit.
            Func<ReadOnlySpan<float>, ReadOnlySpan<float>, ReadOnlySpan<float>, TwoHeadNet.Losses> train = net.TrainOnOutput1AndOutput2;
            train(x, [|null|], y2);
            """);
        return FixesNullAsync(source, source);
    }
}
