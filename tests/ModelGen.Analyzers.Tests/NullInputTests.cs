using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using ModelGen.Analyzers.Tests.Infrastructure;
using Xunit;
using static ModelGen.Analyzers.Tests.Infrastructure.TestSources;

namespace ModelGen.Analyzers.Tests;

/// <summary>MG1004: input values that are certainly null.</summary>
public class NullInputTests
{
    private static Task ReportsAsync(string source, params DiagnosticResult[] expected) =>
        Verify.AnalyzerAsync(source, UsageDescriptors.NullInput, expected);

    // ---- Reported ----------------------------------------------------------------------------------------

    [Fact]
    public Task PredictWithNull_NamesInput() => ReportsAsync(
        InMethod("net.Predict({|#0:null|});"),
        Verify.Diagnostic(UsageDescriptors.NullInput)
            .WithLocation(0)
            .WithMessage("Input 'x' of Predict is null; pass the values of input 'X', one row per sample"));

    [Fact]
    public Task PredictHeadWithDefault_IsReported() => ReportsAsync(
        InMethod("net.PredictOutput1([|default|]);"));

    [Fact]
    public Task TrainingInputNull_IsReported() => ReportsAsync(
        InMethod("net.TrainOnOutput2([|null|], y2);"));

    [Fact]
    public Task LocalWhoseOnlyValueIsNull_IsReported() => ReportsAsync(
        InMethod("""
            float[]? features = null;
            var outputs = net.Predict([|features|]);
            Console.WriteLine(outputs.Output1.Length);
            """));

    [Fact]
    public Task NamedInputArgument_IsReported() => ReportsAsync(
        InMethod("net.TrainOnOutput1(output1: y1, x: [|null|]);"));

    [Fact]
    public Task SecondInputOfTwo_IsReported() => ReportsAsync(
        InMethod("net3.Predict(image, {|#0:null|});"),
        Verify.Diagnostic(UsageDescriptors.NullInput).WithLocation(0).WithArguments("meta", "Predict", "Meta"));

    [Fact]
    public Task PredictIntoBuffers_IsReported() => ReportsAsync(
        InMethod("net.Predict([|(float[]?)null|], new float[1], new float[1]);"));

    // ---- Not reported ------------------------------------------------------------------------------------

    [Fact]
    public Task PredictWithData_IsNotReported() => ReportsAsync(
        InMethod("net.Predict(x);"));

    [Fact]
    public Task PredictWithDataFromFile_IsNotReported() => ReportsAsync(
        InMethod("net.Predict(File.ReadAllLines(\"x.txt\").Select(float.Parse).ToArray());"));

    [Fact]
    public Task InputNullOnOnePath_IsNotReported() => ReportsAsync(
        InMethod("""
            float[]? features = null;
            if (flag)
            {
                features = x;
            }

            net.Predict(features);
            """));

    [Fact]
    public Task InputAfterNullCheck_IsNotReported() => ReportsAsync(
        InMethod("""
            float[]? features = flag ? x : null;
            if (features != null)
            {
                net.PredictOutput2(features);
            }
            """));

    [Fact]
    public Task EmptyInput_IsNotReportedAsNull() => ReportsAsync(
        InMethod("net.Predict(ReadOnlySpan<float>.Empty);"));

    [Fact]
    public Task NullOutputBuffer_IsNotAnInput() => ReportsAsync(
        InMethod("net.Predict(x, new float[1], null);"));

    [Fact]
    public Task InputParameterOfUserMethod_IsNotReported() => ReportsAsync(
        InClass("""
            public static float[] Predict(ReadOnlySpan<float> x) => x.ToArray();

            public static void Run() => Predict(null);
            """));
}
