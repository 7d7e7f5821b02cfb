using System;
using ModelGen.Bench.Models;
using ModelGen.Bench.References;

namespace ModelGen.Bench.Workloads;

/// <summary>Sizes, data and multiply-add counts of the two benchmark networks.</summary>
public static class Networks
{
    public const int SmallBatch = 32;
    public const int MediumBatch = 128;

    /// <summary>Multiply-adds of one forward pass of the small network (both heads) for one sample.</summary>
    public const long SmallForwardPerSample = (32 * 32) + 32 + 32;

    /// <summary>Multiply-adds of one forward pass of the medium network (both heads) for one sample.</summary>
    public const long MediumForwardPerSample = (784 * 512) + (512 * 512) + (512 * 10) + 512;

    /// <summary>
    /// Floating-point operations (2 per multiply-add) of a training step: the forward products, the weight
    /// gradients (as many multiply-adds) and the input gradients of every layer but the first.
    /// </summary>
    public static double TrainingFlops(long forwardPerSample, long firstLayerPerSample, int batch) =>
        2.0 * batch * ((2 * forwardPerSample) + (forwardPerSample - firstLayerPerSample));

    public static double SmallTrainingFlops(bool bothHeads) => bothHeads
        ? TrainingFlops(SmallForwardPerSample, 32 * 32, SmallBatch)
        : TrainingFlops((32 * 32) + 32, 32 * 32, SmallBatch);

    public static double MediumTrainingFlops => TrainingFlops(MediumForwardPerSample, 784 * 512, MediumBatch);

    public static double MediumInferenceFlops(int batch) => 2.0 * batch * MediumForwardPerSample;

    public static float[] RandomValues(int count, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ((random.NextSingle() * 2f) - 1f) * scale;
        }

        return values;
    }

    public static int[] RandomLabels(int count, int classes, int seed)
    {
        var random = new Random(seed);
        var labels = new int[count];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = random.Next(classes);
        }

        return labels;
    }

    public static ScalarNetwork ScalarSmall(int batch) => new(32, [32], [(1, ReferenceLoss.MeanSquaredError), (1, ReferenceLoss.MeanSquaredError)], batch, 42);

    public static TensorPrimitivesNetwork TensorPrimitivesSmall(int batch) => new(32, [32], [(1, ReferenceLoss.MeanSquaredError), (1, ReferenceLoss.MeanSquaredError)], batch, 42);

    public static ScalarNetwork ScalarMedium(int batch) => new(784, [512, 512], [(10, ReferenceLoss.SoftmaxCrossEntropy), (1, ReferenceLoss.MeanSquaredError)], batch, 7);

    public static TensorPrimitivesNetwork TensorPrimitivesMedium(int batch) => new(784, [512, 512], [(10, ReferenceLoss.SoftmaxCrossEntropy), (1, ReferenceLoss.MeanSquaredError)], batch, 7);

    public static SmallNet Small() => new();

    public static MediumNet Medium() => new();
}
