using System;
using System.Collections.Generic;
using System.ComponentModel;
using ModelGen.Initialization;

namespace ModelGen.Training;

/// <summary>
/// The training loop behind every generated <c>Fit</c> and <c>Evaluate</c>. It gathers batches from a
/// <see cref="Dataset"/> into reusable buffers and calls the model's training method for the heads still
/// active, so an epoch allocates nothing per batch beyond what callbacks and progress reporting ask for.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/>; see the generated <c>Fit</c> for the contract.</summary>
    /// <param name="model">The model.</param>
    /// <param name="training">Training data.</param>
    /// <param name="validation">Validation data, or <see langword="null"/>.</param>
    /// <param name="options">Settings.</param>
    /// <returns>The per-epoch results.</returns>
    public static TrainingHistory Fit(ITrainableModel model, Dataset training, Dataset? validation, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);

        // 1. Check the settings and pick the heads, before anything changes.
        Layer[] heads = HeadsOf(model);
        CheckOptions(options, validation);
        CheckDataset(model, training, nameof(training));
        int selected = SelectHeads(model, heads, training, options.Heads, nameof(training), "FitOptions.Heads", nameof(options));
        (Dataset? validationData, int trainCount, int[] validationRows) = SplitValidation(model, heads, training, validation, selected, options);
        CheckLabelledRows(heads, selected, training, 0, trainCount, "'training'", nameof(training), "or leave the head out of FitOptions.Heads");
        if (validationData is not null)
        {
            // A head without labelled validation samples would report NaN every epoch, so nothing could monitor it.
            string validationName = validation is null ? "The validation part of 'training' (FitOptions.ValidationSplit)" : "'validation'";
            CheckLabelledRows(heads, selected, validationData, validationRows[0], validationRows.Length, validationName, validation is null ? nameof(training) : nameof(validation), "so that its validation loss is defined");
        }

        // 2. Buffers reused by every batch.
        var batch = new TrainingBatch(training, heads, Math.Min(options.BatchSize, trainCount));
        TrainingBatch? validationBatch = validationData is null ? null : new TrainingBatch(validationData, heads, Math.Min(options.ValidationBatchSize, validationRows.Length));
        HeadAccumulator[] trainingMetrics = Array.ConvertAll(heads, h => new HeadAccumulator(h));
        HeadAccumulator[] validationMetrics = Array.ConvertAll(heads, h => new HeadAccumulator(h));
        var headLosses = new float[heads.Length];
        int[] order = new int[trainCount];
        for (int i = 0; i < trainCount; i++)
        {
            order[i] = i;
        }

        // 3. The epochs.
        var history = new TrainingHistory();
        var context = new TrainingContext(model, heads, Selected(heads, selected), selected, options.Epochs, validationData is not null, history);
        ProgressRenderer? renderer = ProgressRenderer.Create(options, heads);
        var random = new SplitMix64((ulong)(uint)options.Seed);
        int batches = (trainCount + options.BatchSize - 1) / options.BatchSize;
        TimeProvider time = options.TimeProvider;
        foreach (ITrainingCallback callback in options.Callbacks)
        {
            callback.OnTrainBegin(context);
        }

        for (int epoch = 1; epoch <= options.Epochs && !context.StopRequested; epoch++)
        {
            context.Epoch = epoch;
            foreach (ITrainingCallback callback in options.Callbacks)
            {
                callback.OnEpochBegin(context);
            }

            long start = time.GetTimestamp();
            int mask = context.ActiveMask;
            if (options.Shuffle)
            {
                Dataset.Shuffle(order, ref random);
            }

            foreach (HeadAccumulator accumulator in trainingMetrics)
            {
                accumulator.Reset();
            }

            double totalSum = 0;
            int seen = 0;
            renderer?.BeginEpoch(epoch, options.Epochs, batches, start);
            for (int b = 0; b < batches; b++)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                int from = b * options.BatchSize;
                int count = Math.Min(options.BatchSize, trainCount - from);
                batch.Load(training, order.AsSpan(from, count));
                float total = TrainBatch(model, mask, batch, headLosses, epoch, b, batches);
                totalSum += (double)total * count;
                seen += count;
                Accumulate(trainingMetrics, mask, batch, headLosses);
                renderer?.Batch(b + 1, totalSum / seen, trainingMetrics, mask);
                options.ProgressReporter?.Report(new TrainingProgress(epoch, options.Epochs, b + 1, batches, totalSum / seen, RunningLosses(trainingMetrics, mask), null));
            }

            MetricSet trainingResult = new(totalSum / seen, Results(trainingMetrics, mask));
            MetricSet? validationResult = validationBatch is null
                ? null
                : EvaluateRows(model, heads, validationData!, validationRows, selected, validationBatch, validationMetrics, headLosses);
            var result = new EpochResult(epoch, model.Optimizer.LearningRate, Selected(heads, mask), trainingResult, validationResult, time.GetElapsedTime(start));
            history.Add(result);
            foreach (ITrainingCallback callback in options.Callbacks)
            {
                callback.OnEpochEnd(context, result);
            }

            renderer?.EndEpoch(result, context.ActiveMask);
            options.ProgressReporter?.Report(new TrainingProgress(epoch, options.Epochs, batches, batches, trainingResult.Loss, RunningLosses(trainingMetrics, mask), result));
        }

        foreach (ITrainingCallback callback in options.Callbacks)
        {
            callback.OnTrainEnd(context);
        }

        return history;
    }

    /// <summary>Measures <paramref name="model"/> on <paramref name="data"/>; see the generated <c>Evaluate</c>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="data">Samples with targets for the measured heads.</param>
    /// <param name="heads">Heads to measure; defaults to every head that <paramref name="data"/> has targets for.</param>
    /// <param name="batchSize">Samples per forward pass; 1 or more.</param>
    /// <returns>Loss and metrics per head, and their weighted total.</returns>
    public static MetricSet Evaluate(ITrainableModel model, Dataset data, IReadOnlyList<Layer>? heads = null, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Layer[] modelHeads = HeadsOf(model);
        CheckDataset(model, data, nameof(data));
        int mask = SelectHeads(model, modelHeads, data, heads, nameof(data), "'heads'", nameof(heads));
        int[] rows = new int[data.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = i;
        }

        var batch = new TrainingBatch(data, modelHeads, Math.Min(batchSize, data.Count));
        return EvaluateRows(model, modelHeads, data, rows, mask, batch, Array.ConvertAll(modelHeads, h => new HeadAccumulator(h)), new float[modelHeads.Length]);
    }

    private static MetricSet EvaluateRows(ITrainableModel model, Layer[] heads, Dataset data, int[] rows, int mask, TrainingBatch batch, HeadAccumulator[] metrics, float[] headLosses)
    {
        foreach (HeadAccumulator accumulator in metrics)
        {
            accumulator.Reset();
        }

        for (int from = 0; from < rows.Length; from += batch.Capacity)
        {
            batch.Load(data, rows.AsSpan(from, Math.Min(batch.Capacity, rows.Length - from)));
            model.EvaluateBatch(mask, batch, headLosses);
            Accumulate(metrics, mask, batch, headLosses);
        }

        // A head whose samples all have weight 0 has a NaN loss and is left out of the total.
        // When that leaves no head, the total is NaN.
        HeadMetrics[] results = Results(metrics, mask);
        double total = 0;
        bool anyMeasured = false;
        foreach (HeadMetrics result in results)
        {
            if (result.Samples > 0)
            {
                total += result.Head.Head!.Weight * result.Loss;
                anyMeasured = true;
            }
        }

        return new MetricSet(anyMeasured ? total : double.NaN, results);
    }

    private static void Accumulate(HeadAccumulator[] metrics, int mask, TrainingBatch batch, float[] headLosses)
    {
        for (int h = 0; h < metrics.Length; h++)
        {
            if ((mask & (1 << h)) != 0)
            {
                metrics[h].Add(batch.Size, headLosses[h], batch.Output(h), batch.Target(h), batch.Labels(h), batch.SampleWeights(h));
            }
        }
    }

    private static HeadMetrics[] Results(HeadAccumulator[] metrics, int mask)
    {
        var results = new List<HeadMetrics>();
        for (int h = 0; h < metrics.Length; h++)
        {
            if ((mask & (1 << h)) != 0)
            {
                results.Add(metrics[h].Result());
            }
        }

        return [.. results];
    }

    private static double[] RunningLosses(HeadAccumulator[] metrics, int mask)
    {
        var losses = new double[metrics.Length];
        for (int h = 0; h < metrics.Length; h++)
        {
            losses[h] = (mask & (1 << h)) != 0 ? metrics[h].RunningLoss : double.NaN;
        }

        return losses;
    }

    private static Layer[] Selected(Layer[] heads, int mask)
    {
        var selected = new List<Layer>();
        for (int h = 0; h < heads.Length; h++)
        {
            if ((mask & (1 << h)) != 0)
            {
                selected.Add(heads[h]);
            }
        }

        return [.. selected];
    }

    private static Layer[] HeadsOf(IModel model)
    {
        var heads = new List<Layer>();
        foreach (Layer layer in model.Layers)
        {
            if (layer.Head is not null)
            {
                heads.Add(layer);
            }
        }

        return [.. heads];
    }

    private static void CheckOptions(FitOptions options, Dataset? validation)
    {
        if (options.Epochs < 1)
        {
            throw new ArgumentException($"FitOptions.Epochs is {options.Epochs}; it must be 1 or more.", nameof(options));
        }

        if (options.BatchSize < 1 || options.ValidationBatchSize < 1)
        {
            throw new ArgumentException($"FitOptions.BatchSize ({options.BatchSize}) and ValidationBatchSize ({options.ValidationBatchSize}) must be 1 or more.", nameof(options));
        }

        if (!(options.ValidationSplit >= 0 && options.ValidationSplit < 1))
        {
            throw new ArgumentException($"FitOptions.ValidationSplit is {options.ValidationSplit}; it must be in [0, 1).", nameof(options));
        }

        if (options.ValidationSplit > 0 && validation is not null)
        {
            throw new ArgumentException("Both a validation dataset and FitOptions.ValidationSplit are set; use one of them.", nameof(options));
        }

        if (options.TimeProvider is null)
        {
            throw new ArgumentException("FitOptions.TimeProvider is null.", nameof(options));
        }
    }

    private static void CheckDataset(IModel model, Dataset data, string argumentName)
    {
        if (data.ModelType != model.GetType())
        {
            throw new ArgumentException($"'{argumentName}' is a dataset of {data.ModelType.Name}, not of {model.GetType().Name}.", argumentName);
        }
    }

    /// <summary>Returns the mask of the requested heads, or of every head with targets when none are requested.</summary>
    private static int SelectHeads(IModel model, Layer[] heads, Dataset data, IReadOnlyList<Layer>? requested, string argumentName, string requestedLabel, string requestedParameter)
    {
        int mask = 0;
        if (requested is null)
        {
            for (int h = 0; h < heads.Length; h++)
            {
                mask |= data.Targets[h] is null ? 0 : 1 << h;
            }

            if (mask == 0)
            {
                throw new ArgumentException($"'{argumentName}' has no targets for any head of {model.GetType().Name}; pass targets for at least one head.", argumentName);
            }

            return mask;
        }

        if (requested.Count == 0)
        {
            throw new ArgumentException($"{requestedLabel} is empty; list at least one head, or leave it null for every head with targets.", requestedParameter);
        }

        foreach (Layer head in requested)
        {
            int index = Array.IndexOf(heads, head);
            if (index < 0)
            {
                throw new ArgumentException($"{requestedLabel} lists '{head?.Name}', which is not a head of this {model.GetType().Name} instance; pass the model's own head layers.", requestedParameter);
            }

            if (data.Targets[index] is null)
            {
                throw new ArgumentException($"'{argumentName}' has no targets for head {head.Name}; pass them to the dataset or leave the head out.", argumentName);
            }

            mask |= 1 << index;
        }

        return mask;
    }

    private static (Dataset? Data, int TrainCount, int[] Rows) SplitValidation(IModel model, Layer[] heads, Dataset training, Dataset? validation, int selected, FitOptions options)
    {
        if (validation is not null)
        {
            CheckDataset(model, validation, nameof(validation));
            for (int h = 0; h < heads.Length; h++)
            {
                if ((selected & (1 << h)) != 0 && validation.Targets[h] is null)
                {
                    throw new ArgumentException($"The validation dataset has no targets for head {heads[h].Name}, which is trained.", nameof(validation));
                }
            }

            return (validation, training.Count, Range(0, validation.Count));
        }

        if (options.ValidationSplit == 0)
        {
            return (null, training.Count, []);
        }

        // As Keras: the last rows, split before shuffling.
        int splitAt = (int)Math.Floor(training.Count * (1 - options.ValidationSplit));
        if (splitAt == 0 || splitAt == training.Count)
        {
            throw new ArgumentException(
                $"FitOptions.ValidationSplit {options.ValidationSplit} of {training.Count} rows leaves {splitAt} for training and {training.Count - splitAt} for validation; both need at least one.",
                nameof(options));
        }

        return (training, splitAt, Range(splitAt, training.Count - splitAt));
    }

    /// <summary>
    /// Runs one batch. A step that the model rejects (a loss or gradient that is not finite, for example after the
    /// weights diverged) changes nothing itself, but earlier batches stay applied. The error therefore names the
    /// epoch and batch, and is an <see cref="InvalidOperationException"/> rather than the bad-argument error that
    /// <c>Fit</c> raises before training.
    /// </summary>
    private static float TrainBatch(ITrainableModel model, int mask, TrainingBatch batch, Span<float> headLosses, int epoch, int index, int batches)
    {
        try
        {
            return model.TrainBatch(mask, batch, headLosses);
        }
        catch (ArgumentException error)
        {
            throw new InvalidOperationException(
                $"Training stopped at epoch {epoch}, batch {index + 1} of {batches}: {error.Message} That batch changed nothing; " +
                "the batches before it stay applied.",
                error);
        }
    }

    /// <summary>
    /// Checks that every head in <paramref name="mask"/> has a sample of weight above 0 among rows
    /// [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) of <paramref name="data"/>.
    /// </summary>
    private static void CheckLabelledRows(Layer[] heads, int mask, Dataset data, int first, int count, string dataName, string parameter, string advice)
    {
        for (int h = 0; h < heads.Length; h++)
        {
            float[]? weights = (mask & (1 << h)) != 0 ? data.Targets[h]?.SampleWeights : null;
            if (weights is not null && Array.FindIndex(weights, first, count, w => w > 0f) < 0)
            {
                throw new ArgumentException(
                    $"{dataName} has no sample of weight above 0 for head {heads[h].Name}, which is trained. Give some of its samples a weight above 0, {advice}.",
                    parameter);
            }
        }
    }

    private static int[] Range(int start, int count)
    {
        var rows = new int[count];
        for (int i = 0; i < count; i++)
        {
            rows[i] = start + i;
        }

        return rows;
    }
}
