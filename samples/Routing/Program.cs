using System;
using System.Linq;
using ModelGen.Optimizers;
using Routing;

// One head per command, as in conditional imitation learning: every sample carries a command (left, straight,
// right) and trains only the head of its command, through per-sample weights of 1 for that head and 0 for the
// others. The shared trunk learns from every sample; each head learns only from its own.
const int Batch = 48;
var random = new Random(3);
var net = new DrivingNet { Optimizer = new Adam(learningRate: 0.01f) };

(float[] x, int[] command, float[] steering) = Make(random, 2400);
(float[] testX, int[] testCommand, float[] testSteering) = Make(random, 600);
Console.WriteLine(net.Describe());

for (int epoch = 1; epoch <= 40; epoch++)
{
    for (int start = 0; start < command.Length; start += Batch)
    {
        ReadOnlySpan<float> features = x.AsSpan(start * 4, Batch * 4);
        ReadOnlySpan<float> target = steering.AsSpan(start, Batch);

        // Weight 1 routes a sample to its command's head; 0 keeps it out of the other heads' losses.
        float[] left = Route(command, start, 0), straight = Route(command, start, 1), right = Route(command, start, 2);
        net.TrainOnLeftAndStraightAndRight(features, target, target, target, left, straight, right);
    }

    if (epoch % 10 == 0)
    {
        DrivingNet.Outputs outputs = net.Predict(testX);
        double Error(int which, float[] predictions) => Enumerable.Range(0, testCommand.Length)
            .Where(i => testCommand[i] == which)
            .Average(i => Math.Abs(predictions[i] - testSteering[i]));
        Console.WriteLine($"epoch {epoch,2}: test MAE, each head on its own command's samples: left {Error(0, outputs.Left):F4}, straight {Error(1, outputs.Straight):F4}, right {Error(2, outputs.Right):F4}");
    }
}

static float[] Route(int[] command, int start, int which) =>
    Enumerable.Range(start, Batch).Select(i => command[i] == which ? 1f : 0f).ToArray();

// Steering depends on the features differently for each command.
static (float[] X, int[] Command, float[] Steering) Make(Random random, int count)
{
    float[] x = Enumerable.Range(0, count * 4).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    int[] command = Enumerable.Range(0, count).Select(_ => random.Next(3)).ToArray();
    float[] steering = Enumerable.Range(0, count).Select(i => command[i] switch
    {
        0 => -0.5f + (0.3f * x[i * 4]),
        1 => 0.4f * x[(i * 4) + 1],
        _ => 0.5f + (0.3f * x[(i * 4) + 2] * x[(i * 4) + 3]),
    }).ToArray();
    return (x, command, steering);
}
