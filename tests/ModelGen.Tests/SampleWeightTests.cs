using System;
using System.IO;
using System.Linq;
using ModelGen.Optimizers;
using ModelGen.Tests.Models;
using ModelGen.Training;
using Xunit;

namespace ModelGen.Tests;

/// <summary>
/// Per-sample weights in datasets, Fit and Evaluate. Bitwise checks compare Fit with the same weighted TrainOn…
/// calls made by hand; metric checks recompute each weighted mean from Predict outputs in double precision.
/// </summary>
public sealed class SampleWeightTests
{
    private static readonly float[] X = NetSFixture.X;

    // Row 1 has no label for A and row 2 none for B: their targets are NaN and their weights 0.
    private static readonly float[] TargetA = [0.5f, float.NaN, 1, 0];
    private static readonly float[] TargetB = [1, 0, float.NaN, 0.5f];
    private static readonly float[] WeightsA = [1, 0, 2, 0.5f];
    private static readonly float[] WeightsB = [0.5f, 1, 0, 1];

    private static NetS.Dataset WeightedData() => new(X, TargetA, TargetB, WeightsA, WeightsB);

    private static FitOptions Sequential(int epochs, int batchSize) => new()
    {
        Epochs = epochs,
        BatchSize = batchSize,
        Shuffle = false,
        Progress = ProgressDisplay.None,
    };

    // ---- Fit -------------------------------------------------------------------------------------------

    [Fact]
    public void Fit_MatchesManualWeightedStepsBitwise()
    {
        NetS net = NetSFixture.Create();

        TrainingHistory history = net.Fit(WeightedData(), Sequential(3, 3));

        NetS reference = NetSFixture.Create();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            reference.TrainOnAAndB(X.AsSpan(0, 6), TargetA.AsSpan(0, 3), TargetB.AsSpan(0, 3), WeightsA.AsSpan(0, 3), WeightsB.AsSpan(0, 3));
            reference.TrainOnAAndB(X.AsSpan(6, 2), TargetA.AsSpan(3, 1), TargetB.AsSpan(3, 1), WeightsA.AsSpan(3, 1), WeightsB.AsSpan(3, 1));
        }

        Assert.Equal(reference.GetWeights(), net.GetWeights());
        Assert.All(net.GetWeights().SelectMany(w => w), w => Assert.True(float.IsFinite(w)));
        Assert.All(history.Epochs, e => Assert.True(double.IsFinite(e.Training.Loss)));
        Assert.Equal(3, history.Epochs[0].Training[net.A]!.Samples);
        Assert.Equal(3.5, history.Epochs[0].Training[net.A]!.SampleWeightSum);
    }

    [Fact]
    public void Fit_HeadWithoutWeightsGetsOnes()
    {
        NetS net = NetSFixture.Create();
        var data = new NetS.Dataset(X, TargetA, NetSFixture.TargetB, aSampleWeights: WeightsA);

        net.Fit(data, Sequential(2, 4));

        NetS reference = NetSFixture.Create();
        float[] ones = [1, 1, 1, 1];
        reference.TrainOnAAndB(X, TargetA, NetSFixture.TargetB, WeightsA, ones);
        reference.TrainOnAAndB(X, TargetA, NetSFixture.TargetB, WeightsA, ones);
        Assert.Equal(reference.GetWeights(), net.GetWeights());
    }

    [Fact]
    public void Fit_UnweightedHeadSubsetCallsUnweightedMethod()
    {
        // Only B is trained and only A has weights, so Fit calls TrainOnB without weights.
        NetS net = NetSFixture.Create();
        var data = new NetS.Dataset(X, TargetA, NetSFixture.TargetB, aSampleWeights: WeightsA);
        FitOptions options = Sequential(2, 4);
        options.Heads = [net.B];

        net.Fit(data, options);

        NetS reference = NetSFixture.Create();
        reference.TrainOnB(X, NetSFixture.TargetB);
        reference.TrainOnB(X, NetSFixture.TargetB);
        Assert.Equal(reference.GetWeights(), net.GetWeights());
    }

    [Fact]
    public void AllOnesWeights_MatchNoWeights_NetS()
    {
        float[] ones = [1, 1, 1, 1];
        NetS weighted = NetSFixture.Create();
        NetS plain = NetSFixture.Create();
        var validation = new NetS.Dataset(X, NetSFixture.TargetA, NetSFixture.TargetB, ones, ones);

        TrainingHistory weightedHistory = weighted.Fit(
            new NetS.Dataset(X, NetSFixture.TargetA, NetSFixture.TargetB, ones, ones), Sequential(3, 3), validation);
        TrainingHistory plainHistory = plain.Fit(NetSData(), Sequential(3, 3), NetSData());

        Assert.Equal(plain.GetWeights(), weighted.GetWeights());
        for (int e = 0; e < 3; e++)
        {
            AssertSameBits(plainHistory.Epochs[e].Training, weightedHistory.Epochs[e].Training);
            AssertSameBits(plainHistory.Epochs[e].Validation!, weightedHistory.Epochs[e].Validation!);
        }
    }

    [Fact]
    public void MissingLabelWithoutWeights_SuggestsWeights()
    {
        (float[] x, int[] classes, float[] odd, float[] value) = ClassifierData(30, seed: 7);
        classes[4] = -1;

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierNet.Dataset(x, classes, odd, value));

        Assert.Equal("class", error.ParamName);
        Assert.Contains("at row 4 is -1", error.Message, StringComparison.Ordinal);
        Assert.Contains("pass 'classSampleWeights' with weight 0 for that row", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllOnesWeights_MatchNoWeights_Classifier()
    {
        (float[] x, int[] classes, float[] odd, float[] value) = ClassifierData(30, seed: 6);
        float[] ones = [.. Enumerable.Repeat(1f, 30)];
        var weighted = new ClassifierNet { Optimizer = new Adam(0.01f) };
        var plain = new ClassifierNet { Optimizer = new Adam(0.01f) };
        var weightedData = new ClassifierNet.Dataset(x, classes, odd, value, ones, ones, ones);
        var plainData = new ClassifierNet.Dataset(x, classes, odd, value);
        var options = new FitOptions { Epochs = 3, BatchSize = 7, Seed = 2, Progress = ProgressDisplay.None };

        TrainingHistory weightedHistory = weighted.Fit(weightedData, options);
        TrainingHistory plainHistory = plain.Fit(plainData, options);

        Assert.Equal(plain.GetWeights(), weighted.GetWeights());
        AssertSameBits(plainHistory.Epochs[2].Training, weightedHistory.Epochs[2].Training);
        AssertSameBits(plain.Evaluate(plainData, batchSize: 8), weighted.Evaluate(weightedData, batchSize: 8));
    }

    [Fact]
    public void Fit_ShuffledWeightsFollowTheirRows()
    {
        // The targets of weight-0 rows are never read, so NaN and 1000 there must give the same bits. A weight that
        // did not follow its row through shuffling would read one of them.
        float[][] Train(float unlabelled)
        {
            NetS net = NetSFixture.Create();
            float[] a = [0.5f, unlabelled, 1, unlabelled];
            var data = new NetS.Dataset(X, a, NetSFixture.TargetB, aSampleWeights: [1, 0, 2, 0]);
            net.Fit(data, new FitOptions { Epochs = 4, BatchSize = 1, Seed = 5, Progress = ProgressDisplay.None });
            return net.GetWeights();
        }

        float[][] withNaN = Train(float.NaN);

        Assert.Equal(withNaN, Train(1000f));
        Assert.All(withNaN.SelectMany(w => w), w => Assert.True(float.IsFinite(w)));
    }

    [Fact]
    public void Fit_AllocatesNothingPerWeightedBatch()
    {
        NetS net = NetSFixture.Create();
        float[] x = [.. Enumerable.Range(0, 128).Select(i => (i % 13) * 0.1f)];
        float[] y = [.. Enumerable.Range(0, 64).Select(i => (i % 5) * 0.2f)];
        float[] w = [.. Enumerable.Range(0, 64).Select(i => (i % 3) * 0.5f)];
        var data = new NetS.Dataset(x, y, y, aSampleWeights: w);
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

        long before = GC.GetAllocatedBytesForCurrentThread();
        float[] one = [1];
        for (int i = 0; i < 126; i++)
        {
            net.TrainOnAAndB(x.AsSpan(0, 2), y.AsSpan(0, 1), y.AsSpan(0, 1), one, one);
        }

        long trainOnCalls = GC.GetAllocatedBytesForCurrentThread() - before;
        long loopAllocation = manyBatches - oneBatchPerEpoch - trainOnCalls;
        Assert.True(loopAllocation < 126 * 8, $"128 batches allocated {manyBatches} bytes, 2 batches {oneBatchPerEpoch}, 126 TrainOn calls {trainOnCalls}.");
    }

    // ---- Evaluate ----------------------------------------------------------------------------------------

    [Fact]
    public void Evaluate_WeightedLossMatchesHandComputation()
    {
        NetS net = NetSFixture.Create();

        MetricSet metrics = net.Evaluate(WeightedData(), batchSize: 3);

        float[] a = net.PredictA(X), b = net.PredictB(X);
        HeadMetrics headA = metrics[net.A]!;
        HeadMetrics headB = metrics[net.B]!;
        double expectedA = WeightedMean(a, TargetA, WeightsA, d => d * d);
        double expectedB = WeightedMean(b, TargetB, WeightsB, d => d * d);
        Assert.Equal(expectedA, headA.Loss, 1e-6);
        Assert.Equal(expectedA, headA.MeanSquaredError!.Value, 1e-6);
        Assert.Equal(Math.Sqrt(expectedA), headA.RootMeanSquaredError!.Value, 1e-6);
        Assert.Equal(WeightedMean(a, TargetA, WeightsA, Math.Abs), headA.MeanAbsoluteError!.Value, 1e-6);
        Assert.Equal(expectedB, headB.Loss, 1e-6);
        Assert.Equal(3, headA.Samples);
        Assert.Equal(3.5, headA.SampleWeightSum);
        Assert.Equal(2.5, headB.SampleWeightSum);
        Assert.Equal(expectedA + expectedB, metrics.Loss, 1e-6);
        Assert.NotEqual(net.Evaluate(new NetS.Dataset(X, NetSFixture.TargetA, NetSFixture.TargetB))[net.A]!.Loss, headA.Loss);
    }

    [Fact]
    public void Evaluate_WeightedLossMatchesWeightedTrainOnLoss()
    {
        NetS net = NetSFixture.Create();

        MetricSet metrics = net.Evaluate(WeightedData());
        NetS.Losses step = net.TrainOnAAndB(X, TargetA, TargetB, WeightsA, WeightsB);

        Assert.Equal(step.A!.Value, metrics[net.A]!.Loss, 1e-7);
        Assert.Equal(step.B!.Value, metrics[net.B]!.Loss, 1e-7);
    }

    [Fact]
    public void Evaluate_ClassificationMetricsAreWeighted()
    {
        var net = new ClassifierNet();
        (float[] x, int[] classes, float[] odd, float[] value) = ClassifierData(40, seed: 3);
        net.Optimizer = new Adam(0.01f);
        net.Fit(new ClassifierNet.Dataset(x, classes, odd, value), new FitOptions { Epochs = 5, BatchSize = 8, Progress = ProgressDisplay.None });
        float[] classWeights = [.. Enumerable.Range(0, 40).Select(b => b % 4 == 0 ? 0f : (b % 3) + 0.5f)];
        float[] oddWeights = [.. Enumerable.Range(0, 40).Select(b => b % 5 == 0 ? 0f : 1f + (b % 2))];
        int[] missingClasses = [.. classes.Select((c, b) => classWeights[b] == 0 ? -1 : c)];
        float[] missingOdd = [.. odd.Select((t, b) => oddWeights[b] == 0 ? float.NaN : t)];

        MetricSet metrics = net.Evaluate(new ClassifierNet.Dataset(x, missingClasses, missingOdd, value, classWeights, oddWeights), batchSize: 7);

        ClassifierNet.Outputs outputs = net.Predict(x);
        int[] predicted = [.. Enumerable.Range(0, 40).Select(b => ArgMax(outputs.Class.AsSpan(b * 3, 3)))];
        HeadMetrics cls = metrics[net.Class]!;
        double classWeightSum = classWeights.Sum(w => (double)w);
        double accuracy = Enumerable.Range(0, 40).Sum(b => predicted[b] == classes[b] ? classWeights[b] : 0) / classWeightSum;
        double crossEntropy = Enumerable.Range(0, 40).Sum(b => classWeights[b] == 0 ? 0 : classWeights[b] * -Math.Log(outputs.Class[(b * 3) + classes[b]])) / classWeightSum;
        Assert.Equal(accuracy, cls.Accuracy!.Value, 1e-12);
        Assert.Equal(crossEntropy, cls.Loss, 1e-5);
        Assert.Equal(30, cls.Samples);
        Assert.Equal(30, cls.ConfusionMatrix!.Total);

        HeadMetrics binary = metrics[net.Odd]!;
        double oddWeightSum = oddWeights.Sum(w => (double)w);
        double binaryAccuracy = Enumerable.Range(0, 40).Sum(b => (outputs.Odd[b] > 0.5f) == (odd[b] >= 0.5f) ? oddWeights[b] : 0) / oddWeightSum;
        Assert.Equal(binaryAccuracy, binary.Accuracy!.Value, 1e-12);
        Assert.Equal(32, binary.ConfusionMatrix!.Total);
        Assert.True(double.IsFinite(binary.Loss));
        Assert.True(double.IsFinite(metrics.Loss));
    }

    [Fact]
    public void Evaluate_AllZeroHeadIsNaN()
    {
        NetS net = NetSFixture.Create();
        float[] zeros = [0, 0, 0, 0];
        float[] missing = [float.NaN, float.NaN, float.NaN, float.NaN];

        MetricSet metrics = net.Evaluate(new NetS.Dataset(X, missing, NetSFixture.TargetB, aSampleWeights: zeros), batchSize: 3);
        MetricSet none = net.Evaluate(new NetS.Dataset(X, missing, missing, zeros, zeros));

        HeadMetrics a = metrics[net.A]!;
        Assert.Equal(0, a.Samples);
        Assert.Equal(0, a.SampleWeightSum);
        Assert.True(double.IsNaN(a.Loss));
        Assert.True(double.IsNaN(a.MeanAbsoluteError!.Value));
        Assert.True(double.IsNaN(a.MeanSquaredError!.Value));
        Assert.Equal(metrics[net.B]!.Loss, metrics.Loss);
        Assert.True(double.IsNaN(none.Loss));
        Assert.Equal(2, none.Heads.Count);
    }

    [Fact]
    public void Evaluate_SubsetCarriesWeights()
    {
        NetS net = NetSFixture.Create();
        int[] rows = [3, 0, 2];

        MetricSet subset = net.Evaluate(WeightedData().Subset(rows));

        var copied = new NetS.Dataset(
            [.. rows.SelectMany(r => X.Skip(r * 2).Take(2))],
            [.. rows.Select(r => TargetA[r])],
            [.. rows.Select(r => TargetB[r])],
            [.. rows.Select(r => WeightsA[r])],
            [.. rows.Select(r => WeightsB[r])]);
        MetricSet expected = net.Evaluate(copied);
        AssertSameBits(expected, subset);
        Assert.Equal(2, subset[net.B]!.Samples);
    }

    // ---- Callbacks and progress with unlabelled epochs -----------------------------------------------------

    [Fact]
    public void Fit_HeadWithoutLabelledTrainingSample_IsRejected()
    {
        NetS net = NetSFixture.Create();
        float[] zeros = [0, 0, 0, 0];
        float[] missing = [float.NaN, float.NaN, float.NaN, float.NaN];
        float[] before = [.. net.T.Weights, .. net.A.Weights, .. net.B.Weights];

        var error = Assert.Throws<ArgumentException>(() => net.Fit(new NetS.Dataset(X, missing, NetSFixture.TargetB, aSampleWeights: zeros), Sequential(3, 2)));

        Assert.Equal("training", error.ParamName);
        Assert.Contains("no sample of weight above 0 for head A", error.Message, StringComparison.Ordinal);
        float[] after = [.. net.T.Weights, .. net.A.Weights, .. net.B.Weights];
        Assert.Equal(before, after);
    }

    [Fact]
    public void Fit_HeadWithoutLabelledValidationSample_IsRejected()
    {
        // Its validation loss would be NaN in every epoch, so no early stopping or checkpoint could act on it.
        NetS net = NetSFixture.Create();
        float[] zeros = [0, 0, 0, 0];
        float[] missing = [float.NaN, float.NaN, float.NaN, float.NaN];
        var validation = new NetS.Dataset(X, NetSFixture.TargetA, missing, bSampleWeights: zeros);
        FitOptions options = Sequential(3, 2);
        options.Callbacks.Add(new HeadEarlyStopping(net.B) { Patience = 0 });

        var error = Assert.Throws<ArgumentException>(() => net.Fit(new NetS.Dataset(X, NetSFixture.TargetA, NetSFixture.TargetB), options, validation));

        Assert.Equal("validation", error.ParamName);
        Assert.Contains("no sample of weight above 0 for head B", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MonitorOfUnmeasuredHead_StillThrows()
    {
        NetS net = NetSFixture.Create();
        FitOptions options = Sequential(2, 4);
        options.Heads = [net.B];
        options.Callbacks.Add(new EarlyStopping(MonitoredValue.Training(net.A)));

        var error = Assert.Throws<InvalidOperationException>(() => net.Fit(WeightedData(), options));

        Assert.Contains("training A Loss, which epoch 1 did not measure", error.Message, StringComparison.Ordinal);
    }

    // ---- Dataset checks ----------------------------------------------------------------------------------

    public static TheoryData<string, Func<object>, string, string> InvalidDatasets() => new()
    {
        { "short weights", () => new NetS.Dataset(X, NetSFixture.TargetA, aSampleWeights: [1, 1, 1]), "aSampleWeights", "has 3 weights but 'a' has 4 rows" },
        { "negative weight", () => new NetS.Dataset(X, NetSFixture.TargetA, aSampleWeights: [1, -0.5f, 1, 1]), "aSampleWeights", "contains -0.5 at row 1" },
        { "NaN weight", () => new NetS.Dataset(X, NetSFixture.TargetA, aSampleWeights: [1, 1, float.NaN, 1]), "aSampleWeights", "contains NaN at row 2" },
        { "infinite weight", () => new NetS.Dataset(X, NetSFixture.TargetA, aSampleWeights: [float.PositiveInfinity, 1, 1, 1]), "aSampleWeights", "must be finite and >= 0" },
        { "weights without targets", () => new NetS.Dataset(X, b: NetSFixture.TargetB, aSampleWeights: [1, 1, 1, 1]), "aSampleWeights", "'aSampleWeights' is set but 'a' is null" },
        { "NaN target of weighted row", () => new NetS.Dataset(X, TargetA, aSampleWeights: [1, 0.5f, 1, 1]), "a", "contains NaN at index 1 (row 1), whose weight in 'aSampleWeights' is 0.5" },
        { "NaN target without weights", () => new NetS.Dataset(X, TargetA), "a", "pass 'aSampleWeights' with weight 0 for that row" },
        { "label of weighted row", () => new ClassifierNet.Dataset(new float[8], @class: [0, -1], classSampleWeights: [1, 1]), "class", "at row 1 is -1, and its weight in 'classSampleWeights' is 1" },
    };

    [Theory]
    [MemberData(nameof(InvalidDatasets))]
    public void Dataset_RejectsInvalidWeights(string name, Func<object> create, string parameter, string message)
    {
        _ = name;

        var error = Assert.ThrowsAny<ArgumentException>(create);

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dataset_AcceptsMissingLabelsOfWeightZero()
    {
        var net = new ClassifierNet();
        float[] x = [0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, -0.8f];
        var data = new ClassifierNet.Dataset(x, @class: [2, -1], odd: [float.NaN, 1], classSampleWeights: [1, 0], oddSampleWeights: [0, 1]);

        net.Fit(data, new FitOptions { Epochs = 2, BatchSize = 1, Progress = ProgressDisplay.None });
        MetricSet metrics = net.Evaluate(data);

        Assert.All(net.GetWeights().SelectMany(w => w), w => Assert.True(float.IsFinite(w)));
        Assert.Equal(1, metrics[net.Class]!.Samples);
        Assert.Equal(1, metrics[net.Class]!.ConfusionMatrix!.Total);
        Assert.Equal(1, metrics[net.Odd]!.Samples);
        Assert.True(double.IsFinite(metrics.Loss));
    }

    [Fact]
    public void Dataset_CopiesWeights()
    {
        NetS net = NetSFixture.Create();
        float[] weights = [1, 0, 2, 0.5f];
        var data = new NetS.Dataset(X, TargetA, aSampleWeights: weights);
        double before = net.Evaluate(data)[net.A]!.Loss;

        weights[1] = 5;

        Assert.Equal(before, net.Evaluate(data)[net.A]!.Loss);
    }

    [Fact]
    public void Fit_RejectedOptionsLeaveWeightedModelUnchanged()
    {
        NetS net = NetSFixture.Create();
        net.TrainOnAAndB(X, TargetA, TargetB, WeightsA, WeightsB);
        float[][] before = net.GetWeights();
        long steps = net.T.WeightParameter.OptimizerState!.StepCount;
        FitOptions options = Sequential(1, 2);
        options.ValidationSplit = 0.5;

        Assert.Throws<ArgumentException>(() => net.Fit(WeightedData(), options, WeightedData()));

        Assert.Equal(before, net.GetWeights());
        Assert.Equal(steps, net.T.WeightParameter.OptimizerState.StepCount);
    }

    // ---- Helpers -----------------------------------------------------------------------------------------

    private static NetS.Dataset NetSData() => new(X, NetSFixture.TargetA, NetSFixture.TargetB);

    private static double WeightedMean(float[] outputs, float[] targets, float[] weights, Func<double, double> error)
    {
        double sum = 0, weightSum = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            if (weights[i] != 0)
            {
                sum += weights[i] * error((double)outputs[i] - targets[i]);
                weightSum += weights[i];
            }
        }

        return sum / weightSum;
    }

    private static void AssertSameBits(MetricSet expected, MetricSet actual)
    {
        Assert.Equal(expected.Loss, actual.Loss);
        Assert.Equal(expected.Heads.Count, actual.Heads.Count);
        for (int h = 0; h < expected.Heads.Count; h++)
        {
            HeadMetrics e = expected.Heads[h], a = actual.Heads[h];
            Assert.Equal(e.Loss, a.Loss);
            Assert.Equal(e.MeanAbsoluteError, a.MeanAbsoluteError);
            Assert.Equal(e.MeanSquaredError, a.MeanSquaredError);
            Assert.Equal(e.Accuracy, a.Accuracy);
            Assert.Equal(e.Samples, a.Samples);
            Assert.Equal(e.ConfusionMatrix?.ToString(), a.ConfusionMatrix?.ToString());
        }
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
}
