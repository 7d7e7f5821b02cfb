using System;
using System.Linq;
using ModelGen;

var net = new Consumer.TwoHeadNet();
var random = new Random(1);
float[] x = Enumerable.Range(0, 16 * 4).Select(_ => (float)random.NextDouble()).ToArray();
float[] y1 = Enumerable.Range(0, 16).Select(b => x[b * 4]).ToArray();
float[] y2 = Enumerable.Range(0, 16).Select(b => x[(b * 4) + 1]).ToArray();
float before = net.TrainOnOutput1AndOutput2(x, y1, y2).Total;
float[] output1 = (float[])net.Output1.Weights.Clone();
for (int step = 0; step < 200; step++)
{
    net.TrainOnOutput2(x, y2);
}

bool isolated = output1.AsSpan().SequenceEqual(net.Output1.Weights);
float after = net.TrainOnOutput1AndOutput2(x, y1, y2).Total;
Console.WriteLine($"package consumer: loss {before:F4} -> {after:F4}, Output1 untouched by TrainOnOutput2: {isolated}");
return isolated && after < before ? 0 : 1;

namespace Consumer
{
    [Model(Seed = 3)]
    public sealed partial class TwoHeadNet
    {
        [Input(4)]
        public partial InputLayer X { get; }

        [Dense(8, Activation = Activation.Tanh, From = nameof(X))]
        public partial DenseLayer Hidden { get; }

        [Dense(1, From = nameof(Hidden))]
        [Head(Loss.MeanSquaredError)]
        public partial DenseLayer Output1 { get; }

        [Dense(1, From = nameof(Hidden))]
        [Head(Loss.MeanSquaredError)]
        public partial DenseLayer Output2 { get; }
    }
}
