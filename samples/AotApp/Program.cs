using System;
using System.Diagnostics;
using System.Linq;
using System.Runtime.Intrinsics;
using AotApp;
using ModelGen.Optimizers;

// Trains the two-head network, round-trips its weights, and prints what a deployment check needs: the vector
// width in use, the time to the first prediction, and whether training one head left the other untouched.
var net = new TwoHeadNet();
float[] first = net.PredictOutput1(Enumerable.Range(0, 32).Select(i => i / 32f).ToArray());
TimeSpan firstPrediction = DateTime.Now - Process.GetCurrentProcess().StartTime;

Console.WriteLine($"vector width: {WidestVector()}");
Console.WriteLine($"first prediction {first[0]:F6}, {firstPrediction.TotalMilliseconds:F1} ms after process start");

var random = new Random(1);
float[] x = Enumerable.Range(0, 64 * 32).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
float[] y1 = Enumerable.Range(0, 64).Select(b => x[b * 32] - x[(b * 32) + 1]).ToArray();
float[] y2 = Enumerable.Range(0, 64).Select(b => x[(b * 32) + 2] * 0.5f).ToArray();
net.Optimizer = new Adam(learningRate: 0.01f);
float firstLoss = net.TrainOnOutput1AndOutput2(x, y1, y2).Total;
for (int step = 0; step < 300; step++)
{
    net.TrainOnOutput1AndOutput2(x, y1, y2);
}

float lastLoss = net.TrainOnOutput1AndOutput2(x, y1, y2).Total;
Console.WriteLine($"loss {firstLoss:F4} -> {lastLoss:F4}");

float[] output1 = (float[])net.Output1.Weights.Clone();
net.TrainOnOutput2(x, y2);
bool isolated = output1.AsSpan().SequenceEqual(net.Output1.Weights);
Console.WriteLine($"TrainOnOutput2 left Output1 unchanged: {isolated}");

var copy = new TwoHeadNet(seed: 7);
copy.SetWeights(net.GetWeights());
bool restored = copy.PredictOutput2(x).AsSpan().SequenceEqual(net.PredictOutput2(x));
Console.WriteLine($"weights restored into a new instance: {restored}");

bool ok = lastLoss < firstLoss && isolated && restored;
Console.WriteLine(ok ? "AOT check passed" : "AOT check FAILED");
return ok ? 0 : 1;

// Returns the widest vector size the kernels can use on this processor, as built.
static string WidestVector()
{
    if (Vector512.IsHardwareAccelerated)
    {
        return "512";
    }

    if (Vector256.IsHardwareAccelerated)
    {
        return "256";
    }

    return Vector128.IsHardwareAccelerated ? "128" : "scalar";
}
