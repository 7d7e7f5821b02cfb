using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ModelGen.Optimizers;
using ModelGen.Tests.Models;
using ModelGen.Training;
using Xunit;

namespace ModelGen.Tests;

/// <summary>
/// Fit, Evaluate and the callbacks. Bitwise checks compare Fit with the same TrainOn… calls made by hand, and
/// metric checks recompute each value from Predict outputs in double precision.
/// </summary>
public sealed class FitTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "modelgen-fit-" + Guid.NewGuid().ToString("N"));

    public FitTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void RejectedStep_SaysWhereTrainingStopped()
    {
        // Targets of 1e20 make the squared error overflow float in the second batch's loss; the first batch trains.
        NetS net = NetSFixture.Create();
        float[] huge = [1f, 1f, 1e20f, 1e20f];
        var options = FullBatch(2);
        options.BatchSize = 2;

        var error = Assert.Throws<InvalidOperationException>(() => net.Fit(new NetS.Dataset(NetSFixture.X, huge, NetSFixture.TargetB), options));

        Assert.StartsWith("Training stopped at epoch 1, batch 2 of 2:", error.Message, StringComparison.Ordinal);
        Assert.Contains("the batches before it stay applied", error.Message, StringComparison.Ordinal);
        Assert.IsType<ArgumentException>(error.InnerException);
    }

    private static NetS.Dataset NetSData() => new(NetSFixture.X, NetSFixture.TargetA, NetSFixture.TargetB);

    private static FitOptions FullBatch(int epochs) => new()
    {
        Epochs = epochs,
        BatchSize = 4,
        Shuffle = false,
        Progress = ProgressDisplay.None,
    };

    [Fact]
    public void HeadEarlyStopping_FreezesStoppedHead()
    {
        NetS net = NetSFixture.Create();
        var aAfterEpoch = new List<float[]>();
        var options = FullBatch(5);

        // A's monitor gets worse from epoch 2 on, so with patience 1 head A stops after epoch 2.
        double[] stub = [1.0, 2.0, 3.0, 4.0, 5.0];
        options.Callbacks.Add(new HeadEarlyStopping(net.A, MonitoredValue.Custom("stub", e => stub[e.Epoch - 1])) { Patience = 1 });
        options.Callbacks.Add(new EpochEndCallback((_, _) => aAfterEpoch.Add([.. net.A.Weights, .. net.A.Bias])));

        TrainingHistory history = net.Fit(NetSData(), options);

        NetS reference = NetSFixture.Create();
        reference.TrainOnAAndB(NetSFixture.X, NetSFixture.TargetA, NetSFixture.TargetB);
        reference.TrainOnAAndB(NetSFixture.X, NetSFixture.TargetA, NetSFixture.TargetB);
        float[] aAtStop = [.. reference.A.Weights, .. reference.A.Bias];
        for (int epoch = 3; epoch <= 5; epoch++)
        {
            reference.TrainOnB(NetSFixture.X, NetSFixture.TargetB);
        }

        Assert.Equal(5, history.Epochs.Count);
        Assert.NotEqual(aAfterEpoch[0], aAfterEpoch[1]);
        Assert.Equal(aAtStop, aAfterEpoch[1]);
        Assert.Equal(aAtStop, aAfterEpoch[2]);
        Assert.Equal(aAtStop, aAfterEpoch[3]);
        Assert.Equal(aAtStop, aAfterEpoch[4]);
        Assert.Equal(reference.T.Weights, net.T.Weights);
        Assert.Equal(reference.T.Bias, net.T.Bias);
        Assert.Equal(reference.B.Weights, net.B.Weights);
        Assert.Equal(reference.B.Bias, net.B.Bias);
        Assert.Equal([net.A, net.B], history.Epochs[1].TrainedHeads);
        Assert.Equal([net.B], history.Epochs[2].TrainedHeads);
        Assert.Null(history.Epochs[2].Training[net.A]);
        StoppedHead stopped = Assert.Single(history.StoppedHeads);
        Assert.Same(net.A, stopped.Head);
        Assert.Equal(2, stopped.Epoch);
        Assert.Contains("stub did not improve", stopped.Reason, StringComparison.Ordinal);
        Assert.Null(history.StopReason);
    }

    [Fact]
    public void Fit_MatchesManualMiniBatchesBitwise()
    {
        NetS net = NetSFixture.Create();
        FitOptions options = FullBatch(3);
        options.BatchSize = 3;

        net.Fit(NetSData(), options);

        NetS reference = NetSFixture.Create();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            reference.TrainOnAAndB(NetSFixture.X.AsSpan(0, 6), NetSFixture.TargetA.AsSpan(0, 3), NetSFixture.TargetB.AsSpan(0, 3));
            reference.TrainOnAAndB(NetSFixture.X.AsSpan(6, 2), NetSFixture.TargetA.AsSpan(3, 1), NetSFixture.TargetB.AsSpan(3, 1));
        }

        Assert.Equal(reference.GetWeights(), net.GetWeights());
    }

    [Fact]
    public void Fit_OneHeadCallsItsOwnMethod()
    {
        NetS net = NetSFixture.Create();
        FitOptions options = FullBatch(2);
        options.Heads = [net.B];

        TrainingHistory history = net.Fit(NetSData(), options);

        NetS reference = NetSFixture.Create();
        reference.TrainOnB(NetSFixture.X, NetSFixture.TargetB);
        reference.TrainOnB(NetSFixture.X, NetSFixture.TargetB);
        Assert.Equal(reference.GetWeights(), net.GetWeights());
        Assert.Null(net.A.WeightParameter.OptimizerState);
        Assert.Single(history.Epochs[0].Training.Heads);
    }

    [Fact]
    public void Fit_ShufflingFollowsSeed()
    {
        float[][] Train(int seed)
        {
            NetS net = NetSFixture.Create();
            net.Fit(NetSData(), new FitOptions { Epochs = 3, BatchSize = 1, Seed = seed, Progress = ProgressDisplay.None });
            return net.GetWeights();
        }

        Assert.Equal(Train(7), Train(7));
        Assert.NotEqual(Train(7), Train(8));
    }

    [Fact]
    public void Fit_HistoryHoldsLossesAndMetrics()
    {
        NetS net = NetSFixture.Create();

        TrainingHistory history = net.Fit(NetSData(), FullBatch(2), validation: NetSData());

        // Training values are measured before each update, so epoch 1 has the initial losses.
        EpochResult first = history.Epochs[0];
        Assert.Equal(0.6102931363, first.Training[net.A]!.Loss, NetSFixture.Tolerance);
        Assert.Equal(0.6020123594, first.Training[net.B]!.Loss, NetSFixture.Tolerance);
        Assert.Equal(0.6102931363 + 0.6020123594, first.Training.Loss, NetSFixture.Tolerance);
        Assert.Equal(first.Training[net.A]!.Loss, first.Training[net.A]!.MeanSquaredError!.Value, 1e-6);
        Assert.Equal(0.1f, first.LearningRate);

        // Validation runs after the epoch's update: it equals the next epoch's training loss with full batches.
        EpochResult second = history.Epochs[1];
        Assert.Equal(second.Training[net.A]!.Loss, first.Validation![net.A]!.Loss, 1e-6);
        Assert.Equal(second.Training.Loss, first.Validation.Loss, 1e-6);

        // Validation after the last epoch matches Evaluate and errors recomputed from Predict.
        MetricSet evaluation = net.Evaluate(NetSData());
        float[] predicted = net.PredictA(NetSFixture.X);
        double[] errors = [.. predicted.Select((y, i) => (double)y - NetSFixture.TargetA[i])];
        HeadMetrics a = second.Validation![net.A]!;
        Assert.Equal(evaluation[net.A]!.Loss, a.Loss, 1e-7);
        Assert.Equal(errors.Average(Math.Abs), a.MeanAbsoluteError!.Value, 1e-6);
        Assert.Equal(errors.Average(e => e * e), a.MeanSquaredError!.Value, 1e-6);
        Assert.Equal(Math.Sqrt(errors.Average(e => e * e)), a.RootMeanSquaredError!.Value, 1e-6);
        Assert.Null(a.Accuracy);
        Assert.Null(a.ConfusionMatrix);
        Assert.Equal(4, a.Samples);
    }

    [Fact]
    public void Evaluate_ClassificationMetricsMatchPredict()
    {
        var net = new ClassifierNet();
        (float[] x, int[] classes, float[] odd, float[] value) = ClassifierData(40, seed: 3);
        var data = new ClassifierNet.Dataset(x, classes, odd, value);
        net.Optimizer = new Adam(0.01f);
        net.Fit(data, new FitOptions { Epochs = 5, BatchSize = 8, Progress = ProgressDisplay.None });

        MetricSet metrics = net.Evaluate(data, batchSize: 7);

        ClassifierNet.Outputs outputs = net.Predict(x);
        HeadMetrics cls = metrics[net.Class]!;
        int[] predicted = [.. Enumerable.Range(0, 40).Select(b => ArgMax(outputs.Class.AsSpan(b * 3, 3)))];
        Assert.Equal(predicted.Zip(classes).Count(p => p.First == p.Second) / 40.0, cls.Accuracy!.Value, 1e-12);
        Assert.Equal(Enumerable.Range(0, 40).Average(b => -Math.Log(outputs.Class[(b * 3) + classes[b]])), cls.Loss, 1e-5);
        for (int actual = 0; actual < 3; actual++)
        {
            for (int guess = 0; guess < 3; guess++)
            {
                Assert.Equal(Enumerable.Range(0, 40).Count(b => classes[b] == actual && predicted[b] == guess), cls.ConfusionMatrix![actual, guess]);
            }
        }

        HeadMetrics binary = metrics[net.Odd]!;
        bool[] hits = [.. Enumerable.Range(0, 40).Select(b => (outputs.Odd[b] > 0.5f) == (odd[b] >= 0.5f))];
        Assert.Equal(hits.Count(h => h) / 40.0, binary.Accuracy!.Value, 1e-12);
        Assert.Equal(Enumerable.Range(0, 40).Count(b => odd[b] == 1f && outputs.Odd[b] > 0.5f), binary.ConfusionMatrix![1, 1]);
        Assert.Equal(40, binary.ConfusionMatrix.Total);
        double bce = Enumerable.Range(0, 40).Average(b => -((odd[b] * Math.Log(outputs.Odd[b])) + ((1 - odd[b]) * Math.Log(1 - outputs.Odd[b]))));
        Assert.Equal(bce, binary.Loss, 1e-5);

        HeadMetrics regression = metrics[net.Value]!;
        Assert.Equal(outputs.Value.Select((y, i) => Math.Abs((double)y - value[i])).Average(), regression.MeanAbsoluteError!.Value, 1e-6);
        Assert.Equal(regression.MeanAbsoluteError.Value, regression.Loss, 1e-6);
        Assert.Equal(cls.Loss + (0.5 * binary.Loss) + regression.Loss, metrics.Loss, 1e-9);
    }

    [Fact]
    public void Evaluate_LeavesModelUnchanged()
    {
        var net = new ClassifierNet();
        (float[] x, int[] classes, float[] odd, float[] value) = ClassifierData(10, seed: 4);
        net.TrainOnClass(x, classes);
        float[][] weights = net.GetWeights();
        float[][] gradients = [.. net.Parameters.Select(p => (float[])p.Gradient.Clone())];
        OptimizerState?[] states = [.. net.Parameters.Select(p => p.OptimizerState)];

        net.Evaluate(new ClassifierNet.Dataset(x, classes, odd, value));

        Assert.Equal(weights, net.GetWeights());
        Assert.Equal(gradients, net.Parameters.Select(p => p.Gradient));
        Assert.Equal(states, net.Parameters.Select(p => p.OptimizerState));
        Assert.Equal(1, states[0]!.StepCount);
    }

    [Fact]
    public void Evaluate_SelectedHeadsOnly()
    {
        var net = new ClassifierNet();
        (float[] x, int[] classes, _, _) = ClassifierData(10, seed: 5);

        MetricSet metrics = net.Evaluate(new ClassifierNet.Dataset(x, @class: classes), [net.Class]);

        Assert.Single(metrics.Heads);
        Assert.Null(metrics[net.Odd]);
        Assert.Equal(metrics[net.Class]!.Loss, metrics.Loss);
    }

    [Fact]
    public void DiamondNet_EvaluateMatchesTrainOnLosses()
    {
        (DiamondNet.Dataset data, float[] x1, float[] x2, int[] cls, float[] bin, float[] reg, float[] outer) = DiamondData();
        var net = new DiamondNet { Optimizer = new Sgd(0f) };

        MetricSet all = net.Evaluate(data, batchSize: 2);
        MetricSet outerOnly = net.Evaluate(data, [net.Outer]);
        DiamondNet.Losses step = net.TrainOnClsAndBinAndRegAndOuter(x1, x2, cls, bin, reg, outer);
        DiamondNet.Losses outerStep = net.TrainOnOuter(x1, x2, outer);

        Assert.Equal(step.Cls!.Value, all[net.Cls]!.Loss, 1e-6);
        Assert.Equal(step.Bin!.Value, all[net.Bin]!.Loss, 1e-6);
        Assert.Equal(step.Reg!.Value, all[net.Reg]!.Loss, 1e-6);
        Assert.Equal(step.Outer!.Value, all[net.Outer]!.Loss, 1e-6);
        Assert.Equal(step.Total, all.Loss, 1e-6);
        Assert.Equal(outerStep.Outer!.Value, outerOnly[net.Outer]!.Loss, 1e-6);
        Assert.Single(outerOnly.Heads);
    }

    [Fact]
    public void DiamondNet_FitMatchesTrainOnSubset()
    {
        (DiamondNet.Dataset data, float[] x1, float[] x2, int[] cls, _, _, float[] outer) = DiamondData();
        var net = new DiamondNet { Optimizer = new Adam(0.01f) };
        var options = new FitOptions { Epochs = 2, BatchSize = 5, Shuffle = false, Progress = ProgressDisplay.None, Heads = [net.Cls, net.Outer] };

        net.Fit(data, options);

        var reference = new DiamondNet { Optimizer = new Adam(0.01f) };
        reference.TrainOnClsAndOuter(x1, x2, cls, outer);
        reference.TrainOnClsAndOuter(x1, x2, cls, outer);
        Assert.Equal(reference.GetWeights(), net.GetWeights());
    }

    private static (DiamondNet.Dataset Data, float[] X1, float[] X2, int[] Cls, float[] Bin, float[] Reg, float[] Outer) DiamondData()
    {
        var random = new Random(11);
        float[] Uniform(int count, double low, double high) => [.. Enumerable.Range(0, count).Select(_ => (float)(low + (random.NextDouble() * (high - low))))];
        float[] x1 = Uniform(15, -1, 1), x2 = Uniform(10, -1, 1), bin = Uniform(10, 0, 1), reg = Uniform(10, -1, 1), outer = Uniform(5, -1, 1);
        int[] cls = [.. Enumerable.Range(0, 5).Select(_ => random.Next(3))];
        return (new DiamondNet.Dataset(x1, x2, cls, bin, reg, outer), x1, x2, cls, bin, reg, outer);
    }

    [Fact]
    public void EarlyStopping_StopsAndRestoresBestWeights()
    {
        NetS net = NetSFixture.Create();
        var weightsAfterEpoch = new List<float[][]>();
        double[] stub = [3, 1, 2, 2, 2, 2];
        var stopping = new EarlyStopping(MonitoredValue.Custom("stub", e => stub[e.Epoch - 1])) { Patience = 2, RestoreBestWeights = true };
        FitOptions options = FullBatch(6);
        options.Callbacks.Add(stopping);
        options.Callbacks.Add(new EpochEndCallback((_, _) => weightsAfterEpoch.Add(net.GetWeights())));

        TrainingHistory history = net.Fit(NetSData(), options);

        Assert.Equal(4, history.Epochs.Count);
        Assert.Equal(2, stopping.BestEpoch);
        Assert.Contains("did not improve for 2 epoch(s); best 1 at epoch 2", history.StopReason, StringComparison.Ordinal);
        Assert.Equal(weightsAfterEpoch[1], net.GetWeights());
        Assert.NotEqual(weightsAfterEpoch[3], net.GetWeights());
    }

    [Fact]
    public void EarlyStopping_HigherIsBetterForAccuracy()
    {
        var net = new ClassifierNet();
        MonitoredValue monitor = MonitoredValue.Validation(net.Class, Metric.Accuracy);

        Assert.True(monitor.HigherIsBetter);
        Assert.True(monitor.NeedsValidation);
        Assert.False(MonitoredValue.Training(net.Class).HigherIsBetter);
    }

    [Fact]
    public void EarlyStopping_WithoutValidationDataRejected()
    {
        NetS net = NetSFixture.Create();
        float[][] before = net.GetWeights();
        FitOptions options = FullBatch(2);
        options.Callbacks.Add(new EarlyStopping(MonitoredValue.ValidationLoss()));

        var error = Assert.Throws<InvalidOperationException>(() => net.Fit(NetSData(), options));

        Assert.Contains("no validation data", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, net.GetWeights());
    }

    [Fact]
    public void EarlyStopping_UnmeasuredMetricRejected()
    {
        NetS net = NetSFixture.Create();
        FitOptions options = FullBatch(2);
        options.Callbacks.Add(new EarlyStopping(MonitoredValue.Training(net.A, Metric.Accuracy)));

        var error = Assert.Throws<InvalidOperationException>(() => net.Fit(NetSData(), options));

        Assert.Contains("training A Accuracy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeadEarlyStopping_UntrainedHeadRejected()
    {
        NetS net = NetSFixture.Create();
        FitOptions options = FullBatch(2);
        options.Heads = [net.B];
        options.Callbacks.Add(new HeadEarlyStopping(net.A, MonitoredValue.Custom("stub", e => e.Epoch)));

        var error = Assert.Throws<InvalidOperationException>(() => net.Fit(NetSData(), options));

        Assert.Contains("head A, which this Fit call does not train", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LearningRateScheduler_StepDecay()
    {
        NetS net = NetSFixture.Create();
        FitOptions options = FullBatch(5);
        options.Callbacks.Add(LearningRateScheduler.StepDecay(2, 0.5f));

        TrainingHistory history = net.Fit(NetSData(), options);

        Assert.Equal([0.1f, 0.1f, 0.05f, 0.05f, 0.025f], history.Epochs.Select(e => e.LearningRate));
    }

    [Fact]
    public void Cancellation_KeepsLastCompletedBatch()
    {
        NetS net = NetSFixture.Create();
        using var cancellation = new CancellationTokenSource();
        var options = new FitOptions
        {
            Epochs = 3,
            BatchSize = 1,
            Shuffle = false,
            Progress = ProgressDisplay.None,
            CancellationToken = cancellation.Token,
            ProgressReporter = new SynchronousProgress(p =>
            {
                if (p.Epoch == 2 && p.Batch == 3 && p.Completed is null)
                {
                    cancellation.Cancel();
                }
            }),
        };

        Assert.Throws<OperationCanceledException>(() => net.Fit(NetSData(), options));

        NetS reference = NetSFixture.Create();
        for (int step = 0; step < 7; step++)
        {
            int row = step % 4;
            reference.TrainOnAAndB(NetSFixture.X.AsSpan(row * 2, 2), NetSFixture.TargetA.AsSpan(row, 1), NetSFixture.TargetB.AsSpan(row, 1));
        }

        Assert.Equal(reference.GetWeights(), net.GetWeights());
    }

    [Fact]
    public void Checkpoints_EveryAndBestAreLoadable()
    {
        NetS net = NetSFixture.Create();
        var weightsAfterEpoch = new List<float[][]>();
        double[] stub = [5, 3, 4, 1, 2];
        var every = ModelCheckpoint.Every(2, Path.Combine(_folder, "every-{epoch}.safetensors"));
        var best = ModelCheckpoint.Best(Path.Combine(_folder, "best.safetensors"), MonitoredValue.Custom("stub", e => stub[e.Epoch - 1]));
        best.IncludeOptimizerState = true;
        FitOptions options = FullBatch(5);
        options.Callbacks.Add(new EpochEndCallback((_, _) => weightsAfterEpoch.Add(net.GetWeights())));
        options.Callbacks.Add(every);
        options.Callbacks.Add(best);

        net.Fit(NetSData(), options);

        Assert.Equal(
            ["best.safetensors", "every-2.safetensors", "every-4.safetensors"],
            Directory.GetFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(4, best.LastEpoch);
        var loaded = new NetS(seed: 9);
        loaded.Load(Path.Combine(_folder, "every-2.safetensors"));
        Assert.Equal(weightsAfterEpoch[1], loaded.GetWeights());
        loaded.Optimizer = new Sgd(0.1f);
        loaded.Load(Path.Combine(_folder, "best.safetensors"), includeOptimizerState: true);
        Assert.Equal(weightsAfterEpoch[3], loaded.GetWeights());
    }

    [Fact]
    public void ValidationSplit_HoldsOutLastRows()
    {
        NetS net = NetSFixture.Create();
        FitOptions options = FullBatch(1);
        options.ValidationSplit = 0.25;

        TrainingHistory history = net.Fit(NetSData(), options);

        NetS reference = NetSFixture.Create();
        reference.TrainOnAAndB(NetSFixture.X.AsSpan(0, 6), NetSFixture.TargetA.AsSpan(0, 3), NetSFixture.TargetB.AsSpan(0, 3));
        Assert.Equal(reference.GetWeights(), net.GetWeights());
        Assert.Equal(3, history.Epochs[0].Training[net.A]!.Samples);
        HeadMetrics validation = history.Epochs[0].Validation![net.A]!;
        Assert.Equal(1, validation.Samples);
        double error = reference.PredictA(NetSFixture.X.AsSpan(6, 2))[0] - NetSFixture.TargetA[3];
        Assert.Equal(error * error, validation.Loss, 1e-6);
    }

    public static TheoryData<string, Action<FitOptions, NetS>, string> InvalidOptions() => new()
    {
        { "epochs", (o, _) => o.Epochs = 0, "Epochs" },
        { "batch size", (o, _) => o.BatchSize = 0, "BatchSize" },
        { "split", (o, _) => o.ValidationSplit = 1, "ValidationSplit" },
        { "large split", (o, _) => o.ValidationSplit = 0.8, "leaves 0 for training and 4" },
        { "empty heads", (o, _) => o.Heads = [], "FitOptions.Heads is empty" },
        { "foreign head", (o, _) => o.Heads = [new NetS().A], "not a head of this NetS instance" },
        { "trunk as head", (o, n) => o.Heads = [n.T], "lists 'T', which is not a head" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Fit_RejectsInvalidOptionsUnchanged(string name, Action<FitOptions, NetS> change, string message)
    {
        _ = name;
        NetS net = NetSFixture.Create();
        float[][] before = net.GetWeights();
        FitOptions options = FullBatch(1);
        change(options, net);

        var error = Assert.Throws<ArgumentException>(() => net.Fit(NetSData(), options));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, net.GetWeights());
    }

    [Fact]
    public void Fit_HeadWithoutTargetsRejected()
    {
        NetS net = NetSFixture.Create();
        FitOptions options = FullBatch(1);
        options.Heads = [net.A, net.B];

        var error = Assert.Throws<ArgumentException>(() => net.Fit(new NetS.Dataset(NetSFixture.X, a: NetSFixture.TargetA), options));

        Assert.Contains("no targets for head B", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_SplitAndValidationSetRejected()
    {
        NetS net = NetSFixture.Create();
        FitOptions options = FullBatch(1);
        options.ValidationSplit = 0.5;

        var error = Assert.Throws<ArgumentException>(() => net.Fit(NetSData(), options, NetSData()));

        Assert.Contains("use one of them", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dataset_RejectsInconsistentColumns()
    {
        Assert.Contains("has 3 rows", Assert.Throws<ArgumentException>(() => new NetS.Dataset(NetSFixture.X, a: [1, 2, 3])).Message, StringComparison.Ordinal);
        Assert.Contains("not a multiple of 2", Assert.Throws<ArgumentException>(() => new NetS.Dataset([1, 2, 3])).Message, StringComparison.Ordinal);
        Assert.Contains("NaN at index 1", Assert.Throws<ArgumentException>(() => new NetS.Dataset([1, float.NaN])).Message, StringComparison.Ordinal);
        Assert.Contains("no rows", Assert.Throws<ArgumentException>(() => new NetS.Dataset([])).Message, StringComparison.Ordinal);
        Assert.Equal("class", Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierNet.Dataset(new float[8], @class: [0, 3])).ParamName);
    }

    [Fact]
    public void Dataset_SubsetCopiesRows()
    {
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        var data = new NetS.Dataset(x, a: [10, 20, 30, 40]);
        NetS.Dataset subset = data.Subset([3, 1]);
        x[6] = 99;

        var net = NetSFixture.Create();
        MetricSet metrics = net.Evaluate(subset);

        float[] predicted = net.PredictA([7, 8, 3, 4]);
        double expected = (Math.Pow(predicted[0] - 40, 2) + Math.Pow(predicted[1] - 20, 2)) / 2;
        Assert.Equal(2, subset.Count);
        Assert.Equal(expected, metrics[net.A]!.Loss, 1e-3);
    }

    [Fact]
    public void ShuffledRows_IsSeededPermutation()
    {
        int[] rows = Dataset.ShuffledRows(50, 3);

        Assert.Equal(Enumerable.Range(0, 50), rows.Order());
        Assert.Equal(rows, Dataset.ShuffledRows(50, 3));
        Assert.NotEqual(rows, Dataset.ShuffledRows(50, 4));
    }

    [Fact]
    public void Fit_AllocatesNothingPerBatch()
    {
        NetS net = NetSFixture.Create();
        float[] x = [.. Enumerable.Range(0, 128).Select(i => (i % 13) * 0.1f)];
        float[] y = [.. Enumerable.Range(0, 64).Select(i => (i % 5) * 0.2f)];
        var data = new NetS.Dataset(x, y, y);
        long Measure(int batchSize)
        {
            var options = new FitOptions { Epochs = 2, BatchSize = batchSize, Progress = ProgressDisplay.None };
            long before = GC.GetAllocatedBytesForCurrentThread();
            net.Fit(data, options);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Measure(64);
        Measure(1);
        long oneBatchPerEpoch = Measure(64);
        long manyBatches = Measure(1);

        // The generated TrainOn method may allocate on its own; Fit must add nothing per batch on top of it.
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 126; i++)
        {
            net.TrainOnAAndB(x.AsSpan(0, 2), y.AsSpan(0, 1), y.AsSpan(0, 1));
        }

        long trainOnCalls = GC.GetAllocatedBytesForCurrentThread() - before;

        // 128 batches against 2: any per-batch allocation of 8 bytes or more in the loop would show.
        long loopAllocation = manyBatches - oneBatchPerEpoch - trainOnCalls;
        Assert.True(loopAllocation < 126 * 8, $"128 batches allocated {manyBatches} bytes, 2 batches {oneBatchPerEpoch}, 126 TrainOn calls {trainOnCalls}.");
    }

    [Fact]
    public void Progress_EpochLinesShowLosses()
    {
        NetS net = NetSFixture.Create();
        using var writer = new StringWriter();
        FitOptions options = FullBatch(2);
        options.Progress = ProgressDisplay.EpochLines;
        options.ProgressWriter = writer;
        options.ValidationSplit = 0.25;

        net.Fit(NetSData(), options);

        string[] lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("Epoch 1/2 1/1 ", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"loss \d\.\d{4} A \d\.\d{4} B \d\.\d{4} \| val loss \d\.\d{4} A \d\.\d{4} B \d\.\d{4}$", lines[0]);
        Assert.DoesNotContain('\r', writer.ToString());
    }

    [Fact]
    public void Progress_BarShowsEtaAndStoppedHead()
    {
        NetS net = NetSFixture.Create();
        using var writer = new StringWriter();
        var clock = new SteppingClock(TimeSpan.FromSeconds(1));
        var options = new FitOptions
        {
            Epochs = 3,
            BatchSize = 1,
            Shuffle = false,
            Progress = ProgressDisplay.Bar,
            ProgressWriter = writer,
            TimeProvider = clock,
        };
        options.Callbacks.Add(new HeadEarlyStopping(net.A, MonitoredValue.Custom("stub", e => e.Epoch)));

        net.Fit(NetSData(), options);

        string output = writer.ToString();
        Assert.Contains("\rEpoch 1/3 [", output, StringComparison.Ordinal);
        Assert.Contains("] 2/4 ETA ", output, StringComparison.Ordinal);
        Assert.Contains("A stopped", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)Epoch 2/3 4/4 \S+ loss \d\.\d{4} A \d\.\d{4} B \d\.\d{4} \| A stopped *$", output);
        Assert.Matches(@"(?m)Epoch 3/3 4/4 \S+ loss \d\.\d{4} B \d\.\d{4} *$", output);
    }

    [Fact]
    public void Progress_AutoWithCustomWriterIsQuiet()
    {
        NetS net = NetSFixture.Create();
        using var writer = new StringWriter();

        net.Fit(NetSData(), new FitOptions { Progress = ProgressDisplay.Auto, ProgressWriter = writer });

        Assert.Empty(writer.ToString());
    }

    [Fact]
    public void Progress_ReporterGetsBatchesAndEpochs()
    {
        NetS net = NetSFixture.Create();
        var reports = new List<TrainingProgress>();
        var options = new FitOptions { Epochs = 2, BatchSize = 2, Progress = ProgressDisplay.None, ProgressReporter = new SynchronousProgress(reports.Add) };

        TrainingHistory history = net.Fit(NetSData(), options);

        Assert.Equal(6, reports.Count);
        Assert.Equal([1, 2, 2, 1, 2, 2], reports.Select(r => r.Batch));
        Assert.Same(history.Epochs[1], reports[5].Completed);
        Assert.Equal(history.Epochs[1].Training[net.B]!.Loss, reports[5].HeadLosses[1], 1e-12);
    }

    private static (float[] X, int[] Classes, float[] Odd, float[] Value) ClassifierData(int rows, int seed)
    {
        var random = new Random(seed);
        float[] x = [.. Enumerable.Range(0, rows * 4).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        int[] classes = [.. Enumerable.Range(0, rows).Select(b => x[b * 4] > 0.3f ? 2 : x[(b * 4) + 1] > 0 ? 1 : 0)];
        float[] odd = [.. classes.Select(c => c % 2 == 1 ? 1f : 0f)];
        float[] value = [.. Enumerable.Range(0, rows * 2).Select(i => x[i] + x[i + 1])];
        return (x, classes, odd, value);
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int i = 1; i < row.Length; i++)
        {
            best = row[i] > row[best] ? i : best;
        }

        return best;
    }

    /// <summary>Reports on the calling thread, unlike <see cref="Progress{T}"/>, so tests see every report in order.</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    /// <summary>A clock that advances by a fixed step each time it is read.</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks += step.Ticks;
    }
}
