using System.Linq;
using ModelGen.Generator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ModelGen.Generator.Tests;

public class SmokeTests(ITestOutputHelper output)
{
    [Fact]
    public void TwoHeads()
    {
        var run = GeneratorHarness.Run("""
            using ModelGen;
            namespace Demo;
            /// <summary>x</summary>
            [Model(Seed = 42)]
            public sealed partial class TwoHeadNet
            {
                /// <summary>x</summary>
                [Input(32)] public partial InputLayer X { get; }
                /// <summary>x</summary>
                [Dense(32, Activation = Activation.Relu, From = nameof(X))] public partial DenseLayer Hidden { get; }
                /// <summary>x</summary>
                [Dense(1, From = nameof(Hidden))][Head(Loss.MeanSquaredError)] public partial DenseLayer Output1 { get; }
                /// <summary>x</summary>
                [Dense(1, From = nameof(Hidden))][Head(Loss.MeanSquaredError)] public partial DenseLayer Output2 { get; }
            }
            """);
        output.WriteLine(GeneratorRun.Describe(run.GeneratorDiagnostics));
        output.WriteLine(GeneratorRun.Describe(run.OutputDiagnostics));
        output.WriteLine(string.Join(", ", run.GeneratedSources.Select(s => s.HintName)));
        Assert.Empty(run.OutputDiagnostics);
    }
}
