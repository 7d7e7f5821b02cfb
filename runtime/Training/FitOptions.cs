using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace ModelGen.Training;

/// <summary>How <c>Fit</c> shows progress.</summary>
public enum ProgressDisplay
{
    /// <summary>A progress bar when standard error is a terminal; nothing when it is redirected.</summary>
    Auto,

    /// <summary>A progress bar redrawn in place with carriage returns, even when the output is redirected.</summary>
    Bar,

    /// <summary>One line per epoch, without redrawing; suits logs.</summary>
    EpochLines,

    /// <summary>Nothing.</summary>
    None,
}

/// <summary>Settings of one <c>Fit</c> call. Every property has a default, so <c>new FitOptions()</c> trains one epoch.</summary>
public sealed class FitOptions
{
    /// <summary>Number of passes over the training data; 1 or more. Defaults to 1.</summary>
    public int Epochs { get; set; } = 1;

    /// <summary>Samples per training step; 1 or more. The last batch of an epoch may be smaller. Defaults to 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Whether to visit the training rows in a new random order each epoch. Defaults to true.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>Seed of the shuffling; the same seed gives the same batches on every run. Defaults to 0.</summary>
    public int Seed { get; set; }

    /// <summary>
    /// Fraction in [0, 1) of the training data held out for validation: the last rows, taken before any
    /// shuffling (as Keras does). Defaults to 0. Cannot be combined with a validation dataset.
    /// </summary>
    public double ValidationSplit { get; set; }

    /// <summary>Samples per validation step; 1 or more. Defaults to 256.</summary>
    public int ValidationBatchSize { get; set; } = 256;

    /// <summary>
    /// Heads to train, as the model's layer properties (e.g. <c>[model.Digit]</c>). Defaults to every head that
    /// the training data has targets for. Any set of heads works: when the model has no <c>TrainOn…</c> method for
    /// exactly these heads, <c>Fit</c> runs the method for every head with weight 0 for the others, which changes
    /// the same parameters in the same way.
    /// </summary>
    public IReadOnlyList<Layer>? Heads { get; set; }

    /// <summary>Callbacks, called in order at each event.</summary>
    public IList<ITrainingCallback> Callbacks { get; } = new List<ITrainingCallback>();

    /// <summary>How to show progress. Defaults to <see cref="ProgressDisplay.Auto"/>.</summary>
    public ProgressDisplay Progress { get; set; }

    /// <summary>Where the progress display writes. Defaults to standard error.</summary>
    public TextWriter? ProgressWriter { get; set; }

    /// <summary>
    /// Receives a <see cref="TrainingProgress"/> after every batch and every epoch, for GUIs. Each report
    /// allocates a small array of head losses, so leave it null when not needed.
    /// </summary>
    public IProgress<TrainingProgress>? ProgressReporter { get; set; }

    /// <summary>
    /// Cancels training between batches: <c>Fit</c> throws <see cref="OperationCanceledException"/> and the model
    /// keeps the weights of the last completed batch.
    /// </summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Clock for durations and the ETA. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>Progress of a <c>Fit</c> call, reported after each batch and after each epoch.</summary>
/// <param name="Epoch">Current epoch, starting at 1.</param>
/// <param name="Epochs">Epochs requested.</param>
/// <param name="Batch">Batches completed in this epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">Mean total loss of the epoch's batches so far.</param>
/// <param name="HeadLosses">Mean loss of each head (declaration order) over the epoch's batches so far; NaN for heads not trained.</param>
/// <param name="Completed">The epoch's result on the report after its last batch and validation, else <see langword="null"/>.</param>
public readonly record struct TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, IReadOnlyList<double> HeadLosses, EpochResult? Completed);
