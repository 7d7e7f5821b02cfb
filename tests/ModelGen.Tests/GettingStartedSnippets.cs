// The C# blocks of docs/getting-started.md, compiled and run here; GettingStartedTests checks that every block
// of the page appears in this file, so the page cannot drift from code that builds. Keep the blocks between the
// "snippet" markers identical to the page.
using System;
using System.IO;
using ModelGen;
using ModelGen.Optimizers;

namespace ModelGen.Tests.GettingStarted
{
    // snippet: declare
    [Model(Seed = 7)]
    public sealed partial class SensorNet
    {
        [Input(6)]
        public partial InputLayer Readings { get; }

        [Dense(16, Activation = Activation.Relu, From = nameof(Readings))]
        public partial DenseLayer Trunk { get; }

        [Dense(1, From = nameof(Trunk))]
        [Head(Loss.MeanSquaredError)]
        public partial DenseLayer Temperature { get; }

        [Dense(3, Activation = Activation.Softmax, From = nameof(Trunk))]
        [Head(Loss.SparseCategoricalCrossEntropy)]
        public partial DenseLayer Fault { get; }
    }
    // end snippet

    internal static class GettingStartedSnippets
    {
        public static (float Before, float After, bool FaultUnchanged) TrainOneHead(float[] readings, float[] temperature, int[] fault)
        {
            // snippet: train
            var net = new SensorNet { Optimizer = new Adam(learningRate: 0.01f) };

            // Both heads: readings is batch × 6 floats, row-major; one temperature and one fault class per sample.
            SensorNet.Losses both = net.TrainOnTemperatureAndFault(readings, temperature, fault);

            // Only the temperature head: Fault is neither computed nor changed.
            SensorNet.Losses one = net.TrainOnTemperature(readings, temperature);
            Console.WriteLine(one);   // for example "Total 0.41 (Temperature 0.41)"

            float[] predicted = net.PredictTemperature(readings);
            // end snippet

            float[] faultWeights = (float[])net.Fault.Weights.Clone();
            net.TrainOnTemperature(readings, temperature);
            return (both.Temperature!.Value, net.TrainOnTemperature(readings, temperature).Temperature!.Value, faultWeights.AsSpan().SequenceEqual(net.Fault.Weights) && predicted.Length == temperature.Length);
        }

        public static bool Freeze(float[] readings, float[] temperature)
        {
            var net = new SensorNet();
            float[] trunk = (float[])net.Trunk.Weights.Clone();

            // snippet: freeze
            net.Trunk.Trainable = false;                  // from the next call on, Trunk keeps its weights
            net.TrainOnTemperature(readings, temperature); // Temperature still learns
            net.Trunk.Trainable = true;
            // end snippet

            return trunk.AsSpan().SequenceEqual(net.Trunk.Weights);
        }

        public static bool SaveAndLoad(float[] readings, string folder)
        {
            var net = new SensorNet();
            string path = Path.Combine(folder, "sensor.safetensors");

            // snippet: save
            net.Save(path);               // safetensors, tensor names Trunk.weight, Trunk.bias, ...

            var restored = new SensorNet();
            restored.Load(path);          // checks names, shapes and types before anything changes
            // end snippet

            return restored.PredictTemperature(readings).AsSpan().SequenceEqual(net.PredictTemperature(readings));
        }
    }
}
