using System;
using System.Globalization;
using System.IO;
using System.Linq;
using ModelGen;
using ModelGen.Optimizers;
using TwoHeads;

// Trains one branch of a two-head network at a time and shows, per layer, what each phase changed.
//   dotnet run --project samples/TwoHeads                        synthetic data, the README's network
//   dotnet run --project samples/TwoHeads -- --data FILE         the energy-efficiency CSV, two regression heads
// Options with --data: --max-test-mae X exits with code 1 when either head's test MAE is above X.
try
{
    string? dataPath = Option(args, "--data");
    string? maxMae = Option(args, "--max-test-mae");
    int unknown = Array.FindIndex(args, a => a.StartsWith("--", StringComparison.Ordinal) && a is not ("--data" or "--max-test-mae"));
    if (unknown >= 0)
    {
        Console.Error.WriteLine($"Unknown option '{args[unknown]}'. Usage: TwoHeads [--data FILE [--max-test-mae X]]");
        return 2;
    }

    return dataPath is null
        ? Demo.RunSynthetic()
        : Demo.RunEnergy(dataPath, maxMae is null ? null : float.Parse(maxMae, CultureInfo.InvariantCulture));
}
catch (Exception error) when (error is IOException or InvalidDataException or FormatException or ArgumentException)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

static string? Option(string[] args, string name)
{
    int index = Array.IndexOf(args, name);
    if (index < 0)
    {
        return null;
    }

    if (index + 1 >= args.Length)
    {
        throw new ArgumentException($"Option {name} needs a value.");
    }

    return args[index + 1];
}

internal static class Demo
{
    private const int Batch = 32;

    /// <summary>The README's scenario on seeded synthetic data: both heads, then Output2 alone, then Output1 alone.</summary>
    public static int RunSynthetic()
    {
        var net = new TwoHeadNet { Optimizer = new Adam(learningRate: 0.005f) };
        var random = new Random(42);
        float[] x = Enumerable.Range(0, 256 * 32).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] y1 = Enumerable.Range(0, 256).Select(b => x[b * 32] + (0.5f * x[(b * 32) + 1])).ToArray();
        float[] y2 = Enumerable.Range(0, 256).Select(b => x[(b * 32) + 2] * x[(b * 32) + 3]).ToArray();
        Console.WriteLine("TwoHeadNet: X (32) -> Hidden (32, relu) -> Output1 (1), Output2 (1); seed 42; Adam, lr 0.005; 256 synthetic samples.");

        bool isolated = true;
        isolated &= Phase(net, "TrainOnOutput1AndOutput2", expectOutput1: true, expectOutput2: true, step: (s, e) => net.TrainOnOutput1AndOutput2(x.AsSpan(s * 32, e * 32), y1.AsSpan(s, e), y2.AsSpan(s, e)).ToString());
        isolated &= Phase(net, "TrainOnOutput2", expectOutput1: false, expectOutput2: true, step: (s, e) => net.TrainOnOutput2(x.AsSpan(s * 32, e * 32), y2.AsSpan(s, e)).ToString());
        isolated &= Phase(net, "TrainOnOutput1", expectOutput1: true, expectOutput2: false, step: (s, e) => net.TrainOnOutput1(x.AsSpan(s * 32, e * 32), y1.AsSpan(s, e)).ToString());
        Console.WriteLine(isolated ? "Branch isolation holds: every untrained head is bit-for-bit unchanged, optimizer state included." : "BRANCH ISOLATION FAILED.");
        return isolated ? 0 : 1;

        static bool Phase(TwoHeadNet net, string method, bool expectOutput1, bool expectOutput2, Func<int, int, string> step)
        {
            var before = new ParameterSnapshot(net);
            string last = string.Empty;
            for (int epoch = 0; epoch < 30; epoch++)
            {
                for (int start = 0; start < 256; start += Batch)
                {
                    last = step(start, Batch);
                }
            }

            var after = new ParameterSnapshot(net);
            Console.WriteLine($"{method}, 30 epochs; last batch: {last}");
            bool ok = true;
            foreach ((Layer layer, bool expected) in new (Layer, bool)[] { (net.Hidden, true), (net.Output1, expectOutput1), (net.Output2, expectOutput2) })
            {
                bool changed = before.Changed(after, layer);
                ok &= changed == expected;
                Console.WriteLine($"  {layer.Name,-8} {(changed ? "changed" : "unchanged (weights, bias and optimizer state bit-for-bit)")}");
            }

            return ok;
        }
    }

    /// <summary>Two regression heads on the energy-efficiency data, trained in alternating phases.</summary>
    public static int RunEnergy(string path, float? maxTestMae)
    {
        EnergyData data = EnergyData.Load(path);
        (int[] train, int[] test) = data.Split(testFraction: 0.2, seed: 7);
        var featureScaler = new Standardizer(train.Select(i => data.Features[i]).ToArray());
        var targetScaler = new Standardizer(train.Select(i => new[] { data.Heating[i], data.Cooling[i] }).ToArray());
        float[] Features(int[] rows) => rows.SelectMany(i => data.Features[i].Select((v, c) => featureScaler.Apply(v, c))).ToArray();
        float[] Targets(int[] rows, float[] column, int index) => rows.Select(i => targetScaler.Apply(column[i], index)).ToArray();

        var net = new EnergyNet { Optimizer = new Adam(learningRate: 0.003f) };
        Console.WriteLine($"Energy efficiency: {data.Count} buildings from {path}; {train.Length} train, {test.Length} test (seed 7).");
        Console.WriteLine("EnergyNet: Features (8) -> Trunk1 (64, relu) -> Trunk2 (32, relu) -> Heating (1), Cooling (1); Adam, lr 0.003, batch 32.");

        var shuffle = new Random(1);
        bool isolated = true;
        var phases = new (string Method, int Epochs, bool Heating, bool Cooling)[]
        {
            ("TrainOnHeatingAndCooling", 150, true, true),
            ("TrainOnCooling", 40, false, true),
            ("TrainOnHeating", 40, true, false),
            ("TrainOnHeatingAndCooling", 120, true, true),
        };
        int epochNumber = 0;
        foreach ((string method, int epochs, bool trainHeating, bool trainCooling) in phases)
        {
            Console.WriteLine($"Phase {method}, {epochs} epochs:");
            var before = new ParameterSnapshot(net);
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                epochNumber++;
                int[] order = (int[])train.Clone();
                shuffle.Shuffle(order);
                double heatingSum = 0, coolingSum = 0;
                int batches = 0;
                for (int start = 0; start < order.Length; start += Batch)
                {
                    int[] rows = order[start..Math.Min(start + Batch, order.Length)];
                    float[] x = Features(rows);
                    float[] heating = Targets(rows, data.Heating, 0);
                    float[] cooling = Targets(rows, data.Cooling, 1);
                    EnergyNet.Losses losses = (trainHeating, trainCooling) switch
                    {
                        (true, true) => net.TrainOnHeatingAndCooling(x, heating, cooling),
                        (true, false) => net.TrainOnHeating(x, heating),
                        _ => net.TrainOnCooling(x, cooling),
                    };
                    heatingSum += losses.Heating ?? 0;
                    coolingSum += losses.Cooling ?? 0;
                    batches++;
                }

                string heatingText = trainHeating ? (heatingSum / batches).ToString("F4", CultureInfo.InvariantCulture) : "-";
                string coolingText = trainCooling ? (coolingSum / batches).ToString("F4", CultureInfo.InvariantCulture) : "-";
                Console.WriteLine($"  epoch {epochNumber,3}: train MSE (standardised) heating {heatingText,7}, cooling {coolingText,7}");
            }

            var after = new ParameterSnapshot(net);
            foreach ((Layer layer, bool expected) in new (Layer, bool)[] { (net.Heating, trainHeating), (net.Cooling, trainCooling) })
            {
                bool changed = before.Changed(after, layer);
                isolated &= changed == expected;
                Console.WriteLine($"  {layer.Name} {(changed ? "changed" : "unchanged (weights, bias and optimizer state bit-for-bit)")}");
            }
        }

        // Test error in kWh/m², after undoing the target scaling.
        EnergyNet.Outputs predictions = net.Predict(Features(test));
        double heatingMae = test.Select((row, k) => Math.Abs(targetScaler.Invert(predictions.Heating[k], 0) - data.Heating[row])).Average();
        double coolingMae = test.Select((row, k) => Math.Abs(targetScaler.Invert(predictions.Cooling[k], 1) - data.Cooling[row])).Average();
        double heatingBaseline = test.Select(row => Math.Abs(train.Average(i => data.Heating[i]) - data.Heating[row])).Average();
        double coolingBaseline = test.Select(row => Math.Abs(train.Average(i => data.Cooling[i]) - data.Cooling[row])).Average();
        Console.WriteLine($"Test MAE heating load: {heatingMae:F3} kWh/m² (predicting the training mean: {heatingBaseline:F3})");
        Console.WriteLine($"Test MAE cooling load: {coolingMae:F3} kWh/m² (predicting the training mean: {coolingBaseline:F3})");
        Console.WriteLine(isolated ? "Branch isolation holds in every single-head phase." : "BRANCH ISOLATION FAILED.");

        if (!isolated)
        {
            return 1;
        }

        if (maxTestMae is { } limit && (heatingMae > limit || coolingMae > limit))
        {
            Console.Error.WriteLine($"Test MAE above the limit of {limit.ToString(CultureInfo.InvariantCulture)}.");
            return 1;
        }

        return 0;
    }
}
