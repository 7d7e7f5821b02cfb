using BenchmarkDotNet.Attributes;
using ModelGen.Bench.Models;
using ModelGen.Bench.References;
using ModelGen.Bench.Workloads;
using ModelGen.Kernels;

namespace ModelGen.Bench;

/// <summary>The FP32 FMA ceiling of one core, the denominator of every "% of peak".</summary>
public class PeakBenchmarks
{
    public const int Iterations = 1_000_000;

    [Benchmark]
    public float Fma512() => FmaPeak.Run512(Iterations);

    [Benchmark]
    public float Fma256() => FmaPeak.Run256(Iterations);
}

/// <summary>One Adam training step of the small network (batch 32) on one thread.</summary>
public class SmallTrainingBenchmarks
{
    private readonly SmallNet _net = Networks.Small();
    private readonly ScalarNetwork _scalar = Networks.ScalarSmall(Networks.SmallBatch);
    private readonly TensorPrimitivesNetwork _tensorPrimitives = Networks.TensorPrimitivesSmall(Networks.SmallBatch);
    private readonly float[] _x = Networks.RandomValues(Networks.SmallBatch * 32, 1);
    private readonly float[] _target1 = Networks.RandomValues(Networks.SmallBatch, 2);
    private readonly float[] _target2 = Networks.RandomValues(Networks.SmallBatch, 3);

    [GlobalSetup]
    public void Setup() => KernelParallelism.MaxThreads = 1;

    [Benchmark(Baseline = true)]
    public float Scalar() => _scalar.Train(_x, [_target1, _target2], [null, null]);

    [Benchmark]
    public float TensorPrimitives() => _tensorPrimitives.Train(_x, [_target1, _target2], [null, null]);

    [Benchmark]
    public float TrainOnOutput1AndOutput2() => _net.TrainOnOutput1AndOutput2(_x, _target1, _target2).Total;

    [Benchmark]
    public float TrainOnOutput2() => _net.TrainOnOutput2(_x, _target2).Total;

    [Benchmark]
    public float TrainOnOutput1() => _net.TrainOnOutput1(_x, _target1).Total;
}

/// <summary>Prediction of one sample through the small network, both heads.</summary>
public class SmallPredictBenchmarks
{
    private readonly SmallNet _net = Networks.Small();
    private readonly ScalarNetwork _scalar = Networks.ScalarSmall(1);
    private readonly TensorPrimitivesNetwork _tensorPrimitives = Networks.TensorPrimitivesSmall(1);
    private readonly float[] _x = Networks.RandomValues(32, 4);
    private readonly float[] _output1 = new float[1];
    private readonly float[] _output2 = new float[1];
    private readonly float[][] _outputs = [new float[1], new float[1]];

    [GlobalSetup]
    public void Setup() => KernelParallelism.MaxThreads = 1;

    [Benchmark(Baseline = true)]
    public void Scalar() => _scalar.Predict(_x, _outputs, 1);

    [Benchmark]
    public void TensorPrimitives() => _tensorPrimitives.Predict(_x, _outputs, 1);

    [Benchmark]
    public void Predict() => _net.Predict(_x, _output1, _output2);
}

/// <summary>The medium network (batch 128) on 1 and 2 threads: Adam step, forward and backward alone, inference.</summary>
public class MediumBenchmarks
{
    private readonly MediumNet _net = Networks.Medium();
    private readonly MediumNet _forwardBackward = new() { Optimizer = new NoUpdate() };
    private readonly float[] _x = Networks.RandomValues(Networks.MediumBatch * 784, 5);
    private readonly int[] _labels = Networks.RandomLabels(Networks.MediumBatch, 10, 6);
    private readonly float[] _values = Networks.RandomValues(Networks.MediumBatch, 7);
    private readonly float[] _classes = new float[Networks.MediumBatch * 10];
    private readonly float[] _value = new float[Networks.MediumBatch];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => KernelParallelism.MaxThreads = Threads;

    [Benchmark]
    public float TrainOnClassesAndValue() => _net.TrainOnClassesAndValue(_x, _labels, _values).Total;

    [Benchmark]
    public float ForwardBackward() => _forwardBackward.TrainOnClassesAndValue(_x, _labels, _values).Total;

    [Benchmark]
    public void PredictBatch() => _net.Predict(_x, _classes, _value);
}

/// <summary>The scalar and TensorPrimitives peers of <see cref="MediumBenchmarks"/> (one thread).</summary>
public class MediumPeerBenchmarks
{
    private readonly ScalarNetwork _scalar = Networks.ScalarMedium(Networks.MediumBatch);
    private readonly TensorPrimitivesNetwork _tensorPrimitives = Networks.TensorPrimitivesMedium(Networks.MediumBatch);
    private readonly float[] _x = Networks.RandomValues(Networks.MediumBatch * 784, 5);
    private readonly int[] _labels = Networks.RandomLabels(Networks.MediumBatch, 10, 6);
    private readonly float[] _values = Networks.RandomValues(Networks.MediumBatch, 7);
    private readonly float[][] _outputs = [new float[Networks.MediumBatch * 10], new float[Networks.MediumBatch]];

    [Benchmark]
    public float ScalarTrain() => _scalar.Train(_x, [null, _values], [_labels, null]);

    [Benchmark]
    public float TensorPrimitivesTrain() => _tensorPrimitives.Train(_x, [null, _values], [_labels, null]);

    [Benchmark]
    public void ScalarPredictBatch() => _scalar.Predict(_x, _outputs, Networks.MediumBatch);

    [Benchmark]
    public void TensorPrimitivesPredictBatch() => _tensorPrimitives.Predict(_x, _outputs, Networks.MediumBatch);
}

/// <summary>
/// Forward and backward of one 512 → 512 ReLU layer over batch sizes, on 1 thread and on 2 threads with the
/// threshold off: where 2 threads start to win is the measured default of
/// <see cref="KernelParallelism.MinMultiplyAddsPerThread"/>.
/// </summary>
public class ThresholdBenchmarks
{
    private float[] _x = [], _w = [], _b = [], _y = [], _dw = [], _db = [], _dx = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [Params(1, 2, 4, 8, 16, 32)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        KernelParallelism.MaxThreads = Threads;
        KernelParallelism.MinMultiplyAddsPerThread = 1;
        _x = Networks.RandomValues(Batch * 512, 8);
        _w = Networks.RandomValues(512 * 512, 9, 0.05f);
        _b = Networks.RandomValues(512, 10);
        _y = new float[Batch * 512];
        _dw = new float[512 * 512];
        _db = new float[512];
        _dx = new float[Batch * 512];
    }

    [GlobalCleanup]
    public void Cleanup() => KernelParallelism.MinMultiplyAddsPerThread = KernelParallelism.DefaultMinMultiplyAddsPerThread;

    [Benchmark]
    public void Forward() => DenseKernel.Forward(_x, _w, _b, _y, Batch, 512, 512, Activation.Relu);

    [Benchmark]
    public void Backward() => DenseKernel.Backward(_x, _w, _y, _dw, _db, _dx, Batch, 512, 512);
}
