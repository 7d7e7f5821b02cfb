using System;
using System.Collections.Generic;

namespace ModelGen.Training;

/// <summary>What one epoch of <c>Fit</c> measured.</summary>
public sealed class EpochResult
{
    internal EpochResult(int epoch, float learningRate, IReadOnlyList<Layer> trainedHeads, MetricSet training, MetricSet? validation, TimeSpan duration)
    {
        Epoch = epoch;
        LearningRate = learningRate;
        TrainedHeads = trainedHeads;
        Training = training;
        Validation = validation;
        Duration = duration;
    }

    /// <summary>Epoch number, starting at 1.</summary>
    public int Epoch { get; }

    /// <summary>Learning rate of the optimizer during the epoch.</summary>
    public float LearningRate { get; }

    /// <summary>Heads trained in this epoch; heads stopped early are missing.</summary>
    public IReadOnlyList<Layer> TrainedHeads { get; }

    /// <summary>Losses and metrics of the training batches, measured on each batch before its update.</summary>
    public MetricSet Training { get; }

    /// <summary>Losses and metrics on the validation data after the epoch, or <see langword="null"/> without validation data.</summary>
    public MetricSet? Validation { get; }

    /// <summary>Time the epoch took, validation included.</summary>
    public TimeSpan Duration { get; }
}

/// <summary>A head that stopped training before the last epoch.</summary>
/// <param name="Head">The head layer.</param>
/// <param name="Epoch">Last epoch in which the head was trained.</param>
/// <param name="Reason">Why it stopped, e.g. the early-stopping monitor and its best value.</param>
public sealed record StoppedHead(Layer Head, int Epoch, string Reason);

/// <summary>The per-epoch results of a <c>Fit</c> call and why it ended.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochResult> _epochs = [];
    private readonly List<StoppedHead> _stoppedHeads = [];

    /// <summary>Results of the completed epochs, in order.</summary>
    public IReadOnlyList<EpochResult> Epochs => _epochs;

    /// <summary>Heads that stopped before the end, in the order they stopped.</summary>
    public IReadOnlyList<StoppedHead> StoppedHeads => _stoppedHeads;

    /// <summary>Why training ended before the requested number of epochs, or <see langword="null"/> when it ran them all.</summary>
    public string? StopReason { get; internal set; }

    internal void Add(EpochResult epoch) => _epochs.Add(epoch);

    internal void Add(StoppedHead head) => _stoppedHeads.Add(head);
}
