using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Reports;
using ModelGen.Bench.Workloads;

namespace ModelGen.Bench;

/// <summary>
/// Turns BenchmarkDotNet's median times (robust to the pauses of a shared machine) into the tables of docs/benchmarks.md: rates, GFLOP/s beside the FMA peak
/// measured in the same run, and ratios to the scalar and TensorPrimitives peers of the same run.
/// </summary>
internal static class SummaryReport
{
    public static string Render(IEnumerable<BenchmarkReport> reports)
    {
        var means = new Dictionary<string, double>();
        var best = new Dictionary<string, double>();
        foreach (BenchmarkReport report in reports)
        {
            if (report.ResultStatistics is null)
            {
                continue;
            }

            string type = report.BenchmarkCase.Descriptor.Type.Name.Replace("Benchmarks", string.Empty, StringComparison.Ordinal);
            string method = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            string parameters = string.Join(",", report.BenchmarkCase.Parameters.Items.Select(p => $"{p.Name}={p.Value}"));
            means[Key(type, method, parameters)] = report.ResultStatistics.Median * 1e-9;
            best[Key(type, method, parameters)] = report.ResultStatistics.Min * 1e-9;
        }

        var text = new StringBuilder();
        double peak = Seconds(means, "Peak", "Fma512") is { } p512 ? FmaPeak.Flops(PeakBenchmarks.Iterations, 16) / p512 / 1e9 : double.NaN;
        double peak256 = Seconds(means, "Peak", "Fma256") is { } p256 ? FmaPeak.Flops(PeakBenchmarks.Iterations, 8) / p256 / 1e9 : double.NaN;
        text.AppendLine("### FMA peak of one core");
        text.AppendLine();
        text.AppendLine("| Kernel | GFLOP/s (median) | GFLOP/s (best iteration) |");
        text.AppendLine("| --- | ---: | ---: |");
        text.AppendLine(Invariant($"| Vector512 FMA, 12 chains | {peak:F1} | {FmaPeak.Flops(PeakBenchmarks.Iterations, 16) / Seconds(best, "Peak", "Fma512") / 1e9:F1} |"));
        text.AppendLine(Invariant($"| Vector256 FMA, 12 chains | {peak256:F1} | {FmaPeak.Flops(PeakBenchmarks.Iterations, 8) / Seconds(best, "Peak", "Fma256") / 1e9:F1} |"));
        text.AppendLine();

        text.AppendLine("### Small network, training step (batch 32, Adam, 1 thread)");
        text.AppendLine();
        text.AppendLine("| Method | Median (µs) | Steps/s | GFLOP/s | % of peak | × scalar | × TensorPrimitives | Best iteration (µs) |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        double? scalar = Seconds(means, "SmallTraining", "Scalar");
        double? tensor = Seconds(means, "SmallTraining", "TensorPrimitives");
        foreach ((string method, bool both) in new[] { ("Scalar", true), ("TensorPrimitives", true), ("TrainOnOutput1AndOutput2", true), ("TrainOnOutput2", false), ("TrainOnOutput1", false) })
        {
            if (Seconds(means, "SmallTraining", method) is { } seconds)
            {
                double gflops = Networks.SmallTrainingFlops(both) / seconds / 1e9;
                text.AppendLine(Invariant($"| {method} | {seconds * 1e6:F2} | {1 / seconds:N0} | {gflops:F1} | {100 * gflops / peak:F0} | {scalar / seconds:F1} | {tensor / seconds:F1} | {Seconds(best, "SmallTraining", method) * 1e6:F2} |"));
            }
        }

        text.AppendLine();
        text.AppendLine("### Small network, prediction of one sample (both heads)");
        text.AppendLine();
        text.AppendLine("| Method | Median (ns) | × scalar | × TensorPrimitives | Best iteration (ns) |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        scalar = Seconds(means, "SmallPredict", "Scalar");
        tensor = Seconds(means, "SmallPredict", "TensorPrimitives");
        foreach (string method in new[] { "Scalar", "TensorPrimitives", "Predict" })
        {
            if (Seconds(means, "SmallPredict", method) is { } seconds)
            {
                text.AppendLine(Invariant($"| {method} | {seconds * 1e9:F0} | {scalar / seconds:F1} | {tensor / seconds:F1} | {Seconds(best, "SmallPredict", method) * 1e9:F0} |"));
            }
        }

        text.AppendLine();
        text.AppendLine("### Medium network (batch 128)");
        text.AppendLine();
        text.AppendLine("Training figures count the forward products, the weight gradients and the input gradients of every layer but the first; inference counts the forward products.");
        text.AppendLine();
        text.AppendLine("| Method | Threads | Median (ms) | Per second | GFLOP/s | % of 1-core peak | × scalar | × TensorPrimitives | × 1 thread | Best iteration: GFLOP/s, × 1 thread |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        double? scalarTrain = Seconds(means, "MediumPeer", "ScalarTrain");
        double? tensorTrain = Seconds(means, "MediumPeer", "TensorPrimitivesTrain");
        double? scalarPredict = Seconds(means, "MediumPeer", "ScalarPredictBatch");
        double? tensorPredict = Seconds(means, "MediumPeer", "TensorPrimitivesPredictBatch");
        var rows = new List<(string Method, string Type, string Parameters, double Flops, double? Scalar, double? Tensor)>
        {
            ("ScalarTrain", "MediumPeer", string.Empty, Networks.MediumTrainingFlops, scalarTrain, tensorTrain),
            ("TensorPrimitivesTrain", "MediumPeer", string.Empty, Networks.MediumTrainingFlops, scalarTrain, tensorTrain),
        };
        foreach (string threads in new[] { "1", "2" })
        {
            rows.Add(("TrainOnClassesAndValue", "Medium", "Threads=" + threads, Networks.MediumTrainingFlops, scalarTrain, tensorTrain));
            rows.Add(("ForwardBackward", "Medium", "Threads=" + threads, Networks.MediumTrainingFlops, scalarTrain, tensorTrain));
        }

        rows.Add(("ScalarPredictBatch", "MediumPeer", string.Empty, Networks.MediumInferenceFlops(Networks.MediumBatch), scalarPredict, tensorPredict));
        rows.Add(("TensorPrimitivesPredictBatch", "MediumPeer", string.Empty, Networks.MediumInferenceFlops(Networks.MediumBatch), scalarPredict, tensorPredict));
        foreach (string threads in new[] { "1", "2" })
        {
            rows.Add(("PredictBatch", "Medium", "Threads=" + threads, Networks.MediumInferenceFlops(Networks.MediumBatch), scalarPredict, tensorPredict));
        }

        foreach ((string method, string type, string parameters, double flops, double? peerScalar, double? peerTensor) in rows)
        {
            if (Seconds(means, type, method, parameters) is not { } seconds)
            {
                continue;
            }

            double gflops = flops / seconds / 1e9;
            string threads = parameters.Length == 0 ? "1" : parameters["Threads=".Length..];
            double? one = Seconds(means, type, method, "Threads=1");
            string speedup = parameters.Length == 0 ? "" : Invariant($"{one / seconds:F2}");
            double? fastest = Seconds(best, type, method, parameters);
            double? fastestOne = Seconds(best, type, method, "Threads=1");
            string bestCell = parameters.Length == 0
                ? Invariant($"{flops / fastest / 1e9:F1}")
                : Invariant($"{flops / fastest / 1e9:F1}, {fastestOne / fastest:F2}");
            text.AppendLine(Invariant($"| {method} | {threads} | {seconds * 1e3:F2} | {1 / seconds:F1} | {gflops:F1} | {100 * gflops / peak:F0} | {peerScalar / seconds:F1} | {peerTensor / seconds:F2} | {speedup} | {bestCell} |"));
        }

        text.AppendLine();
        text.AppendLine("### Multi-core threshold: one 512 → 512 ReLU layer, forward and backward");
        text.AppendLine();
        text.AppendLine("| Batch | Multiply-adds per product | Forward 1 thread (µs) | Forward 2 threads (µs) | Backward 1 thread (µs) | Backward 2 threads (µs) |");
        text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (int batch in new[] { 1, 2, 4, 8, 16, 32 })
        {
            string Cell(string method, int threads) =>
                Seconds(means, "Threshold", method, $"Threads={threads},Batch={batch}") is { } s ? Invariant($"{s * 1e6:F1}") : "";
            text.AppendLine(Invariant($"| {batch} | {batch * 512L * 512:N0} | {Cell("Forward", 1)} | {Cell("Forward", 2)} | {Cell("Backward", 1)} | {Cell("Backward", 2)} |"));
        }

        return text.ToString();
    }

    private static string Key(string type, string method, string parameters) => type + "." + method + "(" + parameters + ")";

    private static double? Seconds(Dictionary<string, double> means, string type, string method, string parameters = "") =>
        means.TryGetValue(Key(type, method, parameters), out double seconds) ? seconds : null;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
