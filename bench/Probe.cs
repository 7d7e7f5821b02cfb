using System;
using System.Diagnostics;
using ModelGen.Bench.Models;
using ModelGen.Bench.Workloads;
using ModelGen.Kernels;
using ModelGen.Optimizers;

namespace ModelGen.Bench;

/// <summary>
/// <c>--probe</c>: a few seconds of Stopwatch timings of the main figures, for quick checks while changing a
/// kernel. BenchmarkDotNet's runs are the measurements of record.
/// </summary>
internal static class Probe
{
    /// <summary>The probe names that <c>--probe</c> accepts; <c>gemm</c> may be followed by a thread count.</summary>
    public static readonly string[] Names = ["peak", "small", "smallloop", "medium", "gemm", "mparts", "parts", "threshold", "pool", "alloc"];

    /// <summary>Runs the named probes and returns the exit code: 2 for a name that is not a probe.</summary>
    public static int Run(string[] names)
    {
        foreach (string name in names)
        {
            if (Array.IndexOf(Names, name) < 0 && !int.TryParse(name, out _))
            {
                Console.Error.WriteLine($"'{name}' is not a probe. Use one or more of: {string.Join(", ", Names)}.");
                return 2;
            }
        }

        bool all = names.Length == 0;
        if (all || Array.IndexOf(names, "peak") >= 0)
        {
            double seconds = Time(() => FmaPeak.Run512(1_000_000), 5);
            Console.WriteLine($"peak512: {FmaPeak.Flops(1_000_000, 16) / seconds / 1e9:F1} GFLOP/s");
            seconds = Time(() => FmaPeak.Run256(1_000_000), 5);
            Console.WriteLine($"peak256: {FmaPeak.Flops(1_000_000, 8) / seconds / 1e9:F1} GFLOP/s");
        }

        // Both heads of the small network for six seconds and nothing else, for a profiler such as perf.
        if (Array.IndexOf(names, "smallloop") >= 0)
        {
            (SmallNet net, float[] x, float[] t1, float[] t2) = SmallTraining();
            var watch = Stopwatch.StartNew();
            long steps = 0;
            while (watch.ElapsedMilliseconds < 6000)
            {
                net.TrainOnOutput1AndOutput2(x, t1, t2);
                steps++;
            }

            Console.WriteLine($"{steps / watch.Elapsed.TotalSeconds:F0} steps/s");
        }

        if (all || Array.IndexOf(names, "small") >= 0)
        {
            (SmallNet net, float[] x, float[] t1, float[] t2) = SmallTraining();

            // In the first second or so of a process, steps measured up to 1.5 times as long here (4.1 against 2.6 µs)
            // while the JIT was still recompiling hot methods, so both methods run for two seconds before either is timed.
            var warmUp = Stopwatch.StartNew();
            while (warmUp.ElapsedMilliseconds < 2000)
            {
                net.TrainOnOutput1AndOutput2(x, t1, t2);
                net.TrainOnOutput2(x, t2);
            }

            double both = Time(() => net.TrainOnOutput1AndOutput2(x, t1, t2), 20000);
            double two = Time(() => net.TrainOnOutput2(x, t2), 20000);
            var scalar = Networks.ScalarSmall(32);
            double scalarTime = Time(() => scalar.Train(x, [t1, t2], [null, null]), 2000);
            var tp = Networks.TensorPrimitivesSmall(32);
            double tpTime = Time(() => tp.Train(x, [t1, t2], [null, null]), 5000);
            Console.WriteLine($"small both: {1 / both:F0} steps/s ({Networks.SmallTrainingFlops(true) / both / 1e9:F1} GFLOP/s); output2: {1 / two:F0}; scalar {1 / scalarTime:F0}; tp {1 / tpTime:F0}; ratio {scalarTime / both:F1}x");
            float[] one = Networks.RandomValues(32, 4);
            float[] o1 = new float[1], o2 = new float[1];
            double predict = Time(() => net.Predict(one, o1, o2), 200000);
            Console.WriteLine($"small predict one: {predict * 1e9:F0} ns");
        }

        if (Array.IndexOf(names, "alloc") >= 0)
        {
            float[] x = Networks.RandomValues(32 * 32, 1);
            float[] w = Networks.RandomValues(32 * 32, 2);
            float[] b = Networks.RandomValues(32, 3);
            float[] y = new float[32 * 32];
            float[] dw = new float[32 * 32];
            float[] db = new float[32];
            var p = new Parameter("w", 32, 32);
            var adam = new Adam();
            var net = new SmallNet();
            float[] t1 = Networks.RandomValues(32, 2);
            Allocation("forward", () => DenseKernel.Forward(x, w, b, y, 32, 32, 32, Activation.Relu));
            Allocation("forward dot", () => DenseKernel.Forward(x, w, b, y, 1, 32, 32, Activation.Relu));
            Allocation("backward", () => DenseKernel.Backward(x, w, y, dw, db, default, 32, 32, 32));
            Allocation("relu backward", () => ActivationKernel.Backward(Activation.Relu, y, y, y, 32, 32, false));
            Allocation("adam", () => adam.Update(p));
            Allocation("check", () => TensorChecks.Gradient(p));
            Allocation("batch", () => TensorChecks.BatchSize(x, 32, "x", "X"));
            Allocation("mse", () => LossKernel.MeanSquaredError(t1, t1, db, 1f));
            Allocation("train", () => net.TrainOnOutput2(x, t1));
        }

        if (Array.IndexOf(names, "gemm") >= 0)
        {
            KernelParallelism.MaxThreads = names.Length > 1 && int.TryParse(names[^1], out int t) ? t : 1;
            double peak = FmaPeak.Flops(1_000_000, 16) / Time(() => FmaPeak.Run512(1_000_000), 20) / 1e9;
            foreach ((int batch, int inputs, int units) in new[] { (128, 784, 512), (128, 512, 512), (128, 512, 10), (128, 512, 1) })
            {
                float[] x = Networks.RandomValues(batch * inputs, 1);
                float[] w = Networks.RandomValues(units * inputs, 2, 0.05f);
                float[] b = Networks.RandomValues(units, 3);
                float[] y = new float[batch * units];
                float[] dw = new float[units * inputs];
                float[] db = new float[units];
                float[] dx = new float[batch * inputs];
                double flops = 2.0 * batch * inputs * units;
                double f = Time(() => DenseKernel.Forward(x, w, b, y, batch, inputs, units, Activation.Relu), 50);
                double bw = Time(() => DenseKernel.Backward(x, w, y, dw, db, default, batch, inputs, units), 50);
                double bx = Time(() => DenseKernel.Backward(x, w, y, dw, db, dx, batch, inputs, units), 50);
                Console.WriteLine($"{batch}x{inputs}->{units}: forward {flops / f / 1e9:F1} GFLOP/s, dW {flops / bw / 1e9:F1}, dW+dx {2 * flops / bx / 1e9:F1} (peak {peak:F1})");
            }
        }

        if (Array.IndexOf(names, "mparts") >= 0)
        {
            KernelParallelism.MaxThreads = 1;
            var net = new MediumNet();
            float[] x = Networks.RandomValues(128 * 784, 1);
            float[] classes = new float[128 * 10], value = new float[128];
            float[] h1 = new float[128 * 512], h2 = new float[128 * 512], c = new float[128 * 10], v = new float[128];
            double predict = Time(() => net.Predict(x, classes, value), 100);
            double predictValue = Time(() => net.PredictValue(x, value), 100);
            double trunk = Time(() =>
            {
                DenseKernel.Forward(x, net.Hidden1.Weights, net.Hidden1.Bias, h1, 128, 784, 512, Activation.Relu);
                DenseKernel.Forward(h1, net.Hidden2.Weights, net.Hidden2.Bias, h2, 128, 512, 512, Activation.Relu);
                DenseKernel.Forward(h2, net.Value.Weights, net.Value.Bias, v, 128, 512, 1, Activation.Linear);
            }, 100);
            Console.WriteLine($"predict value only {predictValue * 1e6:F0} us; same three layers by hand {trunk * 1e6:F0} us");
            double l1 = Time(() => DenseKernel.Forward(x, net.Hidden1.Weights, net.Hidden1.Bias, h1, 128, 784, 512, Activation.Relu), 100);
            double l2 = Time(() => DenseKernel.Forward(h1, net.Hidden2.Weights, net.Hidden2.Bias, h2, 128, 512, 512, Activation.Relu), 100);
            double l3 = Time(() => DenseKernel.Forward(h2, net.Classes.Weights, net.Classes.Bias, c, 128, 512, 10, Activation.Softmax), 100);
            double l4 = Time(() => DenseKernel.Forward(h2, net.Value.Weights, net.Value.Bias, v, 128, 512, 1, Activation.Linear), 100);
            Console.WriteLine($"predict {predict * 1e6:F0} us; layers {l1 * 1e6:F0} + {l2 * 1e6:F0} + {l3 * 1e6:F0} + {l4 * 1e6:F0} us");
            float[] random = Networks.RandomValues(128 * 784, 9);
            double l1r = Time(() => DenseKernel.Forward(random, net.Hidden1.Weights, net.Hidden1.Bias, h1, 128, 784, 512, Activation.Relu), 100);
            float[] wr = Networks.RandomValues(512 * 784, 2, 0.05f);
            double l1w = Time(() => DenseKernel.Forward(x, wr, net.Hidden1.Bias, h1, 128, 784, 512, Activation.Relu), 100);
            Console.WriteLine($"layer 1 with other x {l1r * 1e6:F0} us, with other w {l1w * 1e6:F0} us");
            int[] labels = Networks.RandomLabels(128, 10, 2);
            float[] targets = Networks.RandomValues(128, 3);
            net.Optimizer = new NoUpdate();
            double fb = Time(() => net.TrainOnClassesAndValue(x, labels, targets), 100);
            float[] dw = new float[512 * 784], db = new float[512], dh1 = new float[128 * 512];
            double b1 = Time(() => DenseKernel.Backward(x, net.Hidden1.Weights, h1, dw, db, default, 128, 784, 512), 100);
            double b2 = Time(() => DenseKernel.Backward(h1, net.Hidden2.Weights, h2, dw, db, dh1, 128, 512, 512), 100);
            double check = Time(() => TensorChecks.Gradient(net.Hidden1.WeightParameter), 100);
            Console.WriteLine($"fwd+bwd step {fb * 1e6:F0} us; backward layer 1 {b1 * 1e6:F0} us, layer 2 {b2 * 1e6:F0} us; gradient check of layer 1 {check * 1e6:F0} us");
        }

        if (Array.IndexOf(names, "threshold") >= 0)
        {
            KernelParallelism.MinMultiplyAddsPerThread = 1;
            float[] w = Networks.RandomValues(512 * 512, 2, 0.05f);
            float[] b = Networks.RandomValues(512, 3);
            float[] dw = new float[512 * 512], db = new float[512];
            foreach (int batch in new[] { 1, 2, 4, 8, 16, 32, 64 })
            {
                float[] x = Networks.RandomValues(batch * 512, 1);
                float[] y = new float[batch * 512], dx = new float[batch * 512];
                var line = new System.Text.StringBuilder($"batch {batch} ({batch * 262144L:N0} multiply-adds):");
                foreach (int threads in new[] { 1, 2 })
                {
                    KernelParallelism.MaxThreads = threads;
                    double f = Time(() => DenseKernel.Forward(x, w, b, y, batch, 512, 512, Activation.Relu), 500);
                    double bw = Time(() => DenseKernel.Backward(x, w, y, dw, db, dx, batch, 512, 512), 500);
                    line.Append(System.Globalization.CultureInfo.InvariantCulture, $" {threads} thread(s) forward {f * 1e6:F1} us backward {bw * 1e6:F1} us;");
                }

                Console.WriteLine(line);
            }

            KernelParallelism.MinMultiplyAddsPerThread = KernelParallelism.DefaultMinMultiplyAddsPerThread;
        }

        if (Array.IndexOf(names, "pool") >= 0)
        {
            foreach (int iterations in new[] { 100, 1000, 10_000, 100_000 })
            {
                var job = new PeakJob(iterations);
                double one = Time(() => job.Run(0, 1), 200);
                double two = Time(() => KernelWorkerPool.Instance.TryRun(job, 2), 200);
                Console.WriteLine($"pool, {iterations} FMA iterations per part: 1 thread {one * 1e6:F2} us, 2 threads {two * 1e6:F2} us (ideal equal)");
            }
        }

        if (Array.IndexOf(names, "parts") >= 0)
        {
            KernelParallelism.MaxThreads = 1;
            float[] x = Networks.RandomValues(32 * 32, 1);
            float[] w = Networks.RandomValues(32 * 32, 2);
            float[] b = Networks.RandomValues(32, 3);
            float[] y = new float[32 * 32];
            float[] dw = new float[32 * 32];
            float[] db = new float[32];
            Console.WriteLine($"forward 32x32x32 relu: {Time(() => DenseKernel.Forward(x, w, b, y, 32, 32, 32, Activation.Relu), 100000) * 1e9:F0} ns");
            Console.WriteLine($"backward 32x32x32 no dx: {Time(() => DenseKernel.Backward(x, w, y, dw, db, default, 32, 32, 32), 100000) * 1e9:F0} ns");
            Console.WriteLine($"relu backward: {Time(() => ActivationKernel.Backward(Activation.Relu, y, y, y, 32, 32, false), 100000) * 1e9:F0} ns");
            var p = new Parameter("w", 32, 32);
            var adam = new Adam();
            Console.WriteLine($"adam 1024: {Time(() => adam.Update(p), 100000) * 1e9:F0} ns");
            var net = new SmallNet();
            Parameter[] tensors = [.. net.Hidden.Parameters, .. net.Output1.Parameters, .. net.Output2.Parameters];
            var stepAdam = new Adam();
            Console.WriteLine($"adam step, small network's 6 tensors: {Time(() => stepAdam.Step(tensors), 100000) * 1e9:F0} ns");
            Console.WriteLine($"gradient check 1024: {Time(() => TensorChecks.Gradient(p), 100000) * 1e9:F0} ns");
            Console.WriteLine($"input check 1024: {Time(() => TensorChecks.BatchSize(x, 32, "x", "X"), 100000) * 1e9:F0} ns");
            float[] h = new float[32 * 32];
            float[] w1 = Networks.RandomValues(32, 5);
            float[] o = new float[32];
            Console.WriteLine($"head forward 32x32x1: {Time(() => DenseKernel.Forward(h, w1, b, o, 32, 32, 1, Activation.Linear), 100000) * 1e9:F0} ns");
            float[] dh = new float[32 * 32];
            float[] dw1 = new float[32];
            Console.WriteLine($"head backward 32x32x1: {Time(() => DenseKernel.Backward(h, w1, o, dw1, db, dh, 32, 32, 1), 100000) * 1e9:F0} ns");
        }

        if (all || Array.IndexOf(names, "medium") >= 0)
        {
            foreach (int threads in new[] { 1, 2 })
            {
                KernelParallelism.MaxThreads = threads;
                var net = new MediumNet();
                float[] x = Networks.RandomValues(128 * 784, 1);
                int[] labels = Networks.RandomLabels(128, 10, 2);
                float[] values = Networks.RandomValues(128, 3);
                double step = Time(() => net.TrainOnClassesAndValue(x, labels, values), 100);
                net.Optimizer = new NoUpdate();
                double fb = Time(() => net.TrainOnClassesAndValue(x, labels, values), 100);
                float[] classes = new float[128 * 10], value = new float[128];
                double infer = Time(() => net.Predict(x, classes, value), 200);
                Console.WriteLine($"medium threads {threads}: adam {1 / step:F1} steps/s ({Networks.MediumTrainingFlops / step / 1e9:F1} GFLOP/s); fwd+bwd {1 / fb:F1} ({Networks.MediumTrainingFlops / fb / 1e9:F1} GFLOP/s); inference {Networks.MediumInferenceFlops(128) / infer / 1e9:F1} GFLOP/s");
            }
        }

        return 0;
    }

    /// <summary>Creates the small network on one thread with a fixed batch and targets for both heads.</summary>
    private static (SmallNet Net, float[] X, float[] Target1, float[] Target2) SmallTraining()
    {
        KernelParallelism.MaxThreads = 1;
        return (new SmallNet(), Networks.RandomValues(32 * 32, 1), Networks.RandomValues(32, 2), Networks.RandomValues(32, 3));
    }

    private static void Allocation(string name, Action action)
    {
        action();
        action();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            action();
        }

        // Read the counter before formatting: the string's first use of the shared array pool allocates.
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Console.WriteLine($"{name}: {bytes / 100.0} bytes per call");
    }

    private static double Time(Action action, int count)
    {
        // Half a second of warm-up, so that tiered compilation has replaced the first, unoptimised code.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 500)
        {
            action();
        }

        // The best of many short rounds: on a shared machine it is the closest to an undisturbed run.
        double best = double.MaxValue;
        int perRound = Math.Max(1, count / 50);
        for (int round = 0; round < 40; round++)
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < perRound; i++)
            {
                action();
            }

            best = Math.Min(best, watch.Elapsed.TotalSeconds / perRound);
        }

        return best;
    }

    private sealed class PeakJob(int iterations) : KernelJob
    {
        public override void Run(int part, int parts) => FmaPeak.Run512(iterations);
    }
}
