using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ModelGen.Bench;

// Usage: dotnet run -c Release --project bench -- [--quick] [BenchmarkDotNet options]
//    or: dotnet run -c Release --project bench -- --probe [NAME ...] (names in Probe.Names; none runs peak, small and medium)
if (args.Length > 0 && args[0] == "--probe")
{
    return Probe.Run(args[1..]);
}

bool quick = args.Contains("--quick");
var rest = args.Where(a => a != "--quick").ToList();
if (!rest.Contains("--filter"))
{
    rest.Add("--filter");
    rest.Add("*");
}

// In-process runs: the kernels are JIT-compiled in this process exactly as in an application, and no
// separate benchmark project is built. --quick runs every case once (BenchmarkDotNet's Dry job) so that CI
// keeps the suite compiling and running in seconds; its numbers mean nothing.
Job job = quick
    ? Job.Dry.WithToolchain(InProcessEmitToolchain.Instance)
    : Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithWarmupCount(5)
        .WithIterationTime(TimeInterval.FromMilliseconds(250))
        .WithMinIterationCount(15)
        .WithMaxIterationCount(40);
IConfig config = DefaultConfig.Instance
    .AddJob(job.AsDefault())
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.JoinSummary);

Type[] types =
[
    typeof(PeakBenchmarks),
    typeof(SmallTrainingBenchmarks),
    typeof(SmallPredictBenchmarks),
    typeof(MediumBenchmarks),
    typeof(MediumPeerBenchmarks),
    typeof(ThresholdBenchmarks),
];
IEnumerable<Summary> summaries = BenchmarkSwitcher.FromTypes(types).Run([.. rest], config);
string report = SummaryReport.Render(summaries.SelectMany(s => s.Reports));
if (quick)
{
    report = "Dry run (--quick): every case ran once without warm-up, so these figures mean nothing.\n\n" + report;
}

Console.WriteLine(report);
string path = System.IO.Path.Combine("BenchmarkDotNet.Artifacts", "results", "modelgen-summary.md");
System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
System.IO.File.WriteAllText(path, report);
Console.WriteLine($"Summary written to {System.IO.Path.GetFullPath(path)}");
return 0;
