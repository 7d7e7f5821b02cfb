using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace ModelGen.Analyzers.Tests.Infrastructure;

/// <summary>Models and method bodies that the tests compile.</summary>
internal static class TestSources
{
    /// <summary>
    /// Models for the generator: the two-head network of the README (TrainOnOutput1, TrainOnOutput2,
    /// TrainOnOutput1AndOutput2) and a network with two inputs and three heads, one of them a classifier.
    /// </summary>
    public const string Models = """
        using ModelGen;

        namespace Demo;

        [Model(Seed = 1)]
        public sealed partial class TwoHeadNet
        {
            [Input(4)]
            public partial InputLayer X { get; }

            [Dense(8, Activation = Activation.Relu, From = nameof(X))]
            public partial DenseLayer Hidden { get; }

            [Dense(1, From = nameof(Hidden))]
            [Head(Loss.MeanSquaredError)]
            public partial DenseLayer Output1 { get; }

            [Dense(1, From = nameof(Hidden))]
            [Head(Loss.MeanSquaredError)]
            public partial DenseLayer Output2 { get; }
        }

        [Model(Seed = 2)]
        public sealed partial class ThreeHeadNet
        {
            [Input(4)]
            public partial InputLayer Image { get; }

            [Input(2)]
            public partial InputLayer Meta { get; }

            [Concatenate(nameof(Image), nameof(Meta))]
            public partial ConcatenateLayer Joined { get; }

            [Dense(8, Activation = Activation.Tanh, From = nameof(Joined))]
            public partial DenseLayer Trunk { get; }

            [Dense(1, From = nameof(Trunk))]
            [Head(Loss.MeanSquaredError)]
            public partial DenseLayer A { get; }

            [Dense(1, From = nameof(Trunk))]
            [Head(Loss.MeanAbsoluteError)]
            public partial DenseLayer B { get; }

            [Dense(3, From = nameof(Trunk))]
            [Head(Loss.SparseCategoricalCrossEntropy)]
            public partial DenseLayer C { get; }
        }
        """;

    /// <summary>
    /// Hand-written classes shaped like generated ones, for what the generator does not emit today:
    /// per-sample weight overloads (parameters named &lt;head&gt;SampleWeights), a model whose generator left out
    /// the two-head subsets, and training methods written as extension methods.
    /// </summary>
    public const string HandWritten = """
        using System;
        using ModelGen;

        namespace Demo;

        public sealed class WeightedNet
        {
            [TrainingMethod("Output1")]
            public float TrainOnOutput1([InputValues("X")] ReadOnlySpan<float> x, [HeadTarget("Output1")] ReadOnlySpan<float> output1) => 0f;

            [TrainingMethod("Output1")]
            public float TrainOnOutput1([InputValues("X")] ReadOnlySpan<float> x, [HeadTarget("Output1")] ReadOnlySpan<float> output1, ReadOnlySpan<float> output1SampleWeights) => 0f;

            [TrainingMethod("Output2")]
            public float TrainOnOutput2([InputValues("X")] ReadOnlySpan<float> x, [HeadTarget("Output2")] ReadOnlySpan<float> output2) => 0f;

            [TrainingMethod("Output2")]
            public float TrainOnOutput2([InputValues("X")] ReadOnlySpan<float> x, [HeadTarget("Output2")] ReadOnlySpan<float> output2, ReadOnlySpan<float> output2SampleWeights) => 0f;

            [TrainingMethod("Output1", "Output2")]
            public float TrainOnOutput1AndOutput2([InputValues("X")] ReadOnlySpan<float> x, [HeadTarget("Output1")] ReadOnlySpan<float> output1, [HeadTarget("Output2")] ReadOnlySpan<float> output2) => 0f;

            [TrainingMethod("Output1", "Output2")]
            public float TrainOnOutput1AndOutput2(
                [InputValues("X")] ReadOnlySpan<float> x,
                [HeadTarget("Output1")] ReadOnlySpan<float> output1,
                [HeadTarget("Output2")] ReadOnlySpan<float> output2,
                ReadOnlySpan<float> output1SampleWeights,
                ReadOnlySpan<float> output2SampleWeights) => 0f;
        }

        public sealed class LimitedNet
        {
            [TrainingMethod("A")]
            public float TrainOnA([InputValues("X")] ReadOnlySpan<float> x, [HeadTarget("A")] ReadOnlySpan<float> a) => 0f;

            [TrainingMethod("B")]
            public float TrainOnB([InputValues("X")] ReadOnlySpan<float> x, [HeadTarget("B")] ReadOnlySpan<float> b) => 0f;

            [TrainingMethod("C")]
            public float TrainOnC([InputValues("X")] ReadOnlySpan<float> x, [HeadTarget("C")] ReadOnlySpan<float> c) => 0f;

            [TrainingMethod("A", "B", "C")]
            public float TrainOnAAndBAndC([InputValues("X")] ReadOnlySpan<float> x, [HeadTarget("A")] ReadOnlySpan<float> a, [HeadTarget("B")] ReadOnlySpan<float> b, [HeadTarget("C")] ReadOnlySpan<float> c) => 0f;
        }

        public static class TwoHeadNetExtensions
        {
            [TrainingMethod("Output1", "Output2")]
            public static float TrainBoth(this TwoHeadNet net, [InputValues("X")] ReadOnlySpan<float> x, [HeadTarget("Output1")] ReadOnlySpan<float> output1, [HeadTarget("Output2")] ReadOnlySpan<float> output2) => 0f;

            // The target comes before the input here, so a rewritten call must name its arguments.
            [TrainingMethod("Output2")]
            public static float TrainSecond(this TwoHeadNet net, [HeadTarget("Output2")] ReadOnlySpan<float> output2, [InputValues("X")] ReadOnlySpan<float> x) => 0f;
        }
        """;

    /// <summary>Puts <paramref name="statements"/> into a method with a model, inputs and targets in scope.</summary>
    public static string InMethod(string statements) => $$"""
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;

        namespace Demo;

        public static class Training
        {
            public static void Run(TwoHeadNet net, ThreeHeadNet net3, float[] x, float[] y1, float[] y2, float[] image, float[] meta, int[] classes, bool flag)
            {
        {{Indent(statements, 8)}}
            }
        }
        """;

    /// <summary>Puts <paramref name="members"/> into a class with the same parameters available to its methods.</summary>
    public static string InClass(string members) => $$"""
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;

        namespace Demo;

        public static class Training
        {
        {{Indent(members, 4)}}
        }
        """;

    private static string Indent(string text, int spaces)
    {
        string padding = new(' ', spaces);
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            lines[i] = lines[i].Length == 0 ? lines[i] : padding + lines[i];
        }

        return string.Join("\n", lines);
    }
}

/// <summary>Runs analyzer and code fix tests on the test sources.</summary>
internal static class Verify
{
    /// <summary>Checks that the analyzer reports exactly the markup and <paramref name="expected"/> diagnostics in <paramref name="source"/>.</summary>
    public static Task AnalyzerAsync(string source, DiagnosticDescriptor descriptor, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest(descriptor);
        test.TestState.Sources.Add(("Models.cs", TestSources.Models));
        test.TestState.Sources.Add(("HandWritten.cs", TestSources.HandWritten));
        test.TestState.Sources.Add(("Training.cs", source));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>Checks the code fix, one diagnostic at a time and with Fix All, from <paramref name="source"/> to <paramref name="fixedSource"/>.</summary>
    public static Task CodeFixAsync(string source, string fixedSource, DiagnosticDescriptor descriptor, params DiagnosticResult[] expected)
    {
        var test = new CodeFixTest(descriptor);
        test.TestState.Sources.Add(("Models.cs", TestSources.Models));
        test.TestState.Sources.Add(("HandWritten.cs", TestSources.HandWritten));
        test.TestState.Sources.Add(("Training.cs", source));
        test.FixedState.Sources.Add(("Models.cs", TestSources.Models));
        test.FixedState.Sources.Add(("HandWritten.cs", TestSources.HandWritten));
        test.FixedState.Sources.Add(("Training.cs", fixedSource));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>Returns an expected diagnostic; its additional location (the whole call, for the code fix) is not compared.</summary>
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) =>
        new DiagnosticResult(descriptor).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
}
