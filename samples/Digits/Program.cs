using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Digits;
using ModelGen;
using ModelGen.Optimizers;
using ModelGen.Training;

// Trains a two-head network on the scikit-learn digits: the digit (10 classes) and whether it is odd. The
// odd/even head stops on its own when its validation loss stops improving, while the digit head goes on.

const string Usage = """
    Usage: dotnet run --project samples/Digits -- --data FILE [--epochs N] [--chart FILE] [--checkpoint FILE]

      --data FILE        digits CSV (scikit-learn's digits.csv): 64 pixels (0 to 16) and the label (0 to 9) per
                         line, no header. Required.
      --epochs N         maximum number of epochs (default 100).
      --chart FILE       SVG file for the loss curves (default docs/digits-loss.svg in the repository).
      --checkpoint FILE  safetensors file for the best weights (default digits-best.safetensors in the temp folder).
    """;

string? dataPath = null;
string? chartPath = null;
string checkpointPath = Path.Combine(Path.GetTempPath(), "digits-best.safetensors");
int epochs = 100;
for (int i = 0; i < args.Length; i++)
{
    string name = args[i];
    if (name is "--help" or "-h")
    {
        Console.WriteLine(Usage);
        return 0;
    }

    if (i + 1 >= args.Length || !name.StartsWith("--", StringComparison.Ordinal))
    {
        Console.Error.WriteLine($"Invalid argument '{name}'.\n{Usage}");
        return 2;
    }

    string value = args[++i];
    switch (name)
    {
        case "--data":
            dataPath = value;
            break;
        case "--chart":
            chartPath = value;
            break;
        case "--checkpoint":
            checkpointPath = value;
            break;
        case "--epochs" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count > 0:
            epochs = count;
            break;
        default:
            Console.Error.WriteLine($"Invalid option or value: {name} {value}.\n{Usage}");
            return 2;
    }
}

string? root = FindRepositoryRoot();
if (dataPath is null || !File.Exists(dataPath))
{
    Console.Error.WriteLine($"The digits CSV was not found{(dataPath is null ? string.Empty : $" at {dataPath}")}. Pass it with --data FILE.");
    return 2;
}

chartPath ??= root is null ? "digits-loss.svg" : Path.Combine(root, "docs", "digits-loss.svg");

// 1. Data: pixels scaled to [0, 1], a seeded 80/20 train/test split; Fit holds out the last 20% of train for validation.
(float[] pixels, int[] labels) = DigitsData.Read(dataPath);
float[] odd = [.. labels.Select(label => label % 2 == 1 ? 1f : 0f)];
var all = new DigitsNet.Dataset(pixels, digit: labels, odd: odd);
int[] order = ModelGen.Training.Dataset.ShuffledRows(all.Count, seed: 1);
int testCount = all.Count / 5;
DigitsNet.Dataset test = all.Subset(order.AsSpan(0, testCount));
DigitsNet.Dataset train = all.Subset(order.AsSpan(testCount));
Console.WriteLine($"{all.Count} images from {dataPath}: {train.Count} for training (20% of them for validation), {test.Count} for testing.");

// 2. Training with per-head early stopping, early stopping of the whole model and a best-weights checkpoint.
var net = new DigitsNet { Optimizer = new Adam(0.003f) };
var options = new FitOptions { Epochs = epochs, BatchSize = 32, Seed = 1, ValidationSplit = 0.2 };
options.Callbacks.Add(new HeadEarlyStopping(net.Odd) { Patience = 2 });
options.Callbacks.Add(new EarlyStopping(MonitoredValue.Validation(net.Digit)) { Patience = 10, RestoreBestWeights = true });
var checkpoint = ModelCheckpoint.Best(checkpointPath, MonitoredValue.Validation(net.Digit));
options.Callbacks.Add(checkpoint);

TrainingHistory history = net.Fit(train, options);
EpochResult last = history.Epochs[^1];
Console.WriteLine($"Trained {history.Epochs.Count} epochs; last: training {last.Training}, validation {last.Validation}.");
foreach (StoppedHead stopped in history.StoppedHeads)
{
    Console.WriteLine($"Head {stopped.Head.Name} stopped after epoch {stopped.Epoch}: {stopped.Reason}.");
}

Console.WriteLine(history.StopReason is null ? "Training ran every epoch." : $"Training stopped: {history.StopReason}.");
Console.WriteLine($"Best checkpoint: epoch {checkpoint.LastEpoch}, {checkpointPath}.");

// 3. Reload the checkpoint into a fresh model and report on the test set per head.
var restored = new DigitsNet(seed: 123);
restored.Load(checkpointPath);
bool same = restored.GetWeights().Zip(net.GetWeights()).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));
Console.WriteLine($"Reloaded weights {(same ? "equal" : "differ from")} the restored best weights of the trained model.");
MetricSet report = restored.Evaluate(test);
HeadMetrics digit = report[restored.Digit]!;
HeadMetrics parity = report[restored.Odd]!;
Console.WriteLine($"Test set ({test.Count} images):");
Console.WriteLine($"  Digit: accuracy {digit.Accuracy:P2}, cross-entropy {digit.Loss:F4}");
Console.WriteLine($"  Odd:   accuracy {parity.Accuracy:P2}, binary cross-entropy {parity.Loss:F4}");
Console.WriteLine("Digit confusion matrix (rows: actual, columns: predicted):");
Console.WriteLine(digit.ConfusionMatrix);

// 4. Loss curves per head, training solid and validation dashed, with the epoch where Odd stopped.
var series = new List<Series>
{
    new("Digit training", "#1f77b4", false, [.. history.Epochs.Select(e => e.Training[net.Digit]?.Loss ?? double.NaN)]),
    new("Digit validation", "#1f77b4", true, [.. history.Epochs.Select(e => e.Validation![net.Digit]!.Loss)]),
    new("Odd training", "#d62728", false, [.. history.Epochs.Select(e => e.Training[net.Odd]?.Loss ?? double.NaN)]),
    new("Odd validation", "#d62728", true, [.. history.Epochs.Select(e => e.Validation![net.Odd]!.Loss)]),
};
var markers = history.StoppedHeads.Select(s => (s.Epoch, $"{s.Head.Name} stops")).ToList();
LossChart.Write(chartPath, $"Digits: loss per head (test accuracy {digit.Accuracy:P1})", series, markers);
Console.WriteLine($"Loss curves written to {chartPath}.");

if (digit.Accuracy < 0.95)
{
    Console.Error.WriteLine($"Digit test accuracy {digit.Accuracy:P2} is below the 95% this sample expects.");
    return 1;
}

return 0;

// The folder with ModelGen.sln, searched upwards from the working folder and then from the program's folder.
static string? FindRepositoryRoot()
{
    foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (DirectoryInfo? folder = new(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ModelGen.sln")))
            {
                return folder.FullName;
            }
        }
    }

    return null;
}
