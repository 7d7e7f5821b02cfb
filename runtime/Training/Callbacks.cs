using System;
using System.Collections.Generic;
using System.Globalization;

namespace ModelGen.Training;

/// <summary>
/// Hooks into <c>Fit</c>. Every method has an empty default, so a callback implements only the events it needs.
/// Callbacks run on the thread that called <c>Fit</c>, in the order of <see cref="FitOptions.Callbacks"/>.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>Called once before the first epoch.</summary>
    /// <param name="context">The running training.</param>
    void OnTrainBegin(TrainingContext context)
    {
    }

    /// <summary>Called before each epoch; <see cref="TrainingContext.Epoch"/> is already the new epoch.</summary>
    /// <param name="context">The running training.</param>
    void OnEpochBegin(TrainingContext context)
    {
    }

    /// <summary>Called after each epoch's training and validation.</summary>
    /// <param name="context">The running training.</param>
    /// <param name="result">What the epoch measured.</param>
    void OnEpochEnd(TrainingContext context, EpochResult result)
    {
    }

    /// <summary>Called once after the last epoch, unless training was cancelled or failed.</summary>
    /// <param name="context">The running training.</param>
    void OnTrainEnd(TrainingContext context)
    {
    }
}

/// <summary>The state of a running <c>Fit</c> call that callbacks read and steer.</summary>
public sealed class TrainingContext
{
    private readonly IReadOnlyList<Layer> _modelHeads;

    internal TrainingContext(IModel model, IReadOnlyList<Layer> modelHeads, IReadOnlyList<Layer> heads, int activeMask, int epochs, bool hasValidation, TrainingHistory history)
    {
        Model = model;
        _modelHeads = modelHeads;
        Heads = heads;
        ActiveMask = activeMask;
        Epochs = epochs;
        HasValidation = hasValidation;
        History = history;
    }

    /// <summary>The model being trained.</summary>
    public IModel Model { get; }

    /// <summary>Heads selected for this <c>Fit</c> call, in declaration order, including heads already stopped.</summary>
    public IReadOnlyList<Layer> Heads { get; }

    /// <summary>Current epoch, starting at 1; 0 before the first.</summary>
    public int Epoch { get; internal set; }

    /// <summary>Epochs requested.</summary>
    public int Epochs { get; }

    /// <summary>Whether each epoch is followed by a validation pass.</summary>
    public bool HasValidation { get; }

    /// <summary>Results of the epochs completed so far.</summary>
    public TrainingHistory History { get; }

    /// <summary>Mask of the heads still trained (bit i is the i-th head of the model).</summary>
    internal int ActiveMask { get; private set; }

    /// <summary>Whether a callback asked training to end after the current epoch.</summary>
    internal bool StopRequested { get; private set; }

    /// <summary>Returns whether <paramref name="head"/> is still trained.</summary>
    /// <param name="head">A head of the model.</param>
    public bool IsTraining(Layer head) => (ActiveMask & Bit(head)) != 0;

    /// <summary>
    /// Stops training <paramref name="head"/> from the next epoch on; the remaining heads continue with the
    /// training method of their subset, so the stopped head's own layers no longer change. When no head
    /// remains, training ends.
    /// </summary>
    /// <param name="head">A head selected for this call.</param>
    /// <param name="reason">Why, for <see cref="TrainingHistory.StoppedHeads"/>.</param>
    public void StopHead(Layer head, string reason)
    {
        int bit = Bit(head);
        if ((ActiveMask & bit) == 0)
        {
            return;
        }

        ActiveMask &= ~bit;
        History.Add(new StoppedHead(head, Epoch, reason));
        if (ActiveMask == 0)
        {
            StopTraining($"every head stopped; the last was {head.Name}: {reason}");
        }
    }

    /// <summary>Ends training after the current epoch.</summary>
    /// <param name="reason">Why, for <see cref="TrainingHistory.StopReason"/>.</param>
    public void StopTraining(string reason)
    {
        if (!StopRequested)
        {
            StopRequested = true;
            History.StopReason = reason;
        }
    }

    private int Bit(Layer head)
    {
        for (int i = 0; i < _modelHeads.Count; i++)
        {
            if (ReferenceEquals(_modelHeads[i], head))
            {
                return 1 << i;
            }
        }

        throw new ArgumentException($"'{head?.Name}' is not a head of {Model.GetType().Name}.", nameof(head));
    }
}

/// <summary>A value read from each <see cref="EpochResult"/>, with the direction in which it improves.</summary>
public sealed class MonitoredValue
{
    private readonly Func<EpochResult, double> _read;
    private readonly Func<EpochResult, bool> _hasNoWeightedSamples;

    private MonitoredValue(string name, Func<EpochResult, double> read, bool higherIsBetter, bool needsValidation, Func<EpochResult, bool>? hasNoWeightedSamples = null)
    {
        Name = name;
        _read = read;
        _hasNoWeightedSamples = hasNoWeightedSamples ?? (static _ => false);
        HigherIsBetter = higherIsBetter;
        NeedsValidation = needsValidation;
    }

    /// <summary>Name for messages, e.g. <c>validation Digit Accuracy</c>.</summary>
    public string Name { get; }

    /// <summary>Whether larger values are better (accuracy) rather than smaller (losses, errors).</summary>
    public bool HigherIsBetter { get; }

    /// <summary>Whether the value comes from the validation pass.</summary>
    public bool NeedsValidation { get; }

    /// <summary>Returns the total validation loss.</summary>
    public static MonitoredValue ValidationLoss() =>
        new("validation loss", static e => e.Validation?.Loss ?? double.NaN, false, true, static e => e.Validation is { } v && AllUnweighted(v.Heads));

    /// <summary>Returns <paramref name="metric"/> of <paramref name="head"/> on the validation data.</summary>
    /// <param name="head">A head of the model.</param>
    /// <param name="metric">The metric; defaults to the head's loss.</param>
    public static MonitoredValue Validation(Layer head, Metric metric = Metric.Loss)
    {
        ArgumentNullException.ThrowIfNull(head);
        return new($"validation {head.Name} {metric}", e => e.Validation?[head]?.Get(metric) ?? double.NaN, metric == Metric.Accuracy, true, e => e.Validation?[head] is { Samples: 0 });
    }

    /// <summary>Returns <paramref name="metric"/> of <paramref name="head"/> on the training batches.</summary>
    /// <param name="head">A head of the model.</param>
    /// <param name="metric">The metric; defaults to the head's loss.</param>
    public static MonitoredValue Training(Layer head, Metric metric = Metric.Loss)
    {
        ArgumentNullException.ThrowIfNull(head);
        return new($"training {head.Name} {metric}", e => e.Training[head]?.Get(metric) ?? double.NaN, metric == Metric.Accuracy, false, e => e.Training[head] is { Samples: 0 });
    }

    /// <summary>Returns a value computed by <paramref name="read"/>, for anything the built-in monitors do not cover.</summary>
    /// <param name="name">Name for messages.</param>
    /// <param name="read">Reads the value from an epoch's result; NaN when it is not available.</param>
    /// <param name="higherIsBetter">Whether larger values are better.</param>
    public static MonitoredValue Custom(string name, Func<EpochResult, double> read, bool higherIsBetter = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(read);
        return new(name, read, higherIsBetter, false);
    }

    /// <summary>Returns the value for <paramref name="result"/>, or NaN when it is not available.</summary>
    /// <param name="result">An epoch's result.</param>
    public double Read(EpochResult result) => _read(result);

    /// <summary>Throws when the monitor needs validation data that the training does not have.</summary>
    internal void CheckAvailable(TrainingContext context, string callback)
    {
        if (NeedsValidation && !context.HasValidation)
        {
            throw new InvalidOperationException(
                $"{callback} monitors {Name}, but Fit has no validation data. Set FitOptions.ValidationSplit or pass a validation dataset.");
        }
    }

    /// <summary>
    /// Reads the value into <paramref name="value"/>. Returns false when the value is NaN because every sample of the
    /// measured heads had sample weight 0 in this epoch, so that callbacks skip the epoch. Throws when the value is
    /// missing for any other reason, because a silent NaN would never improve.
    /// </summary>
    internal bool TryReadRequired(EpochResult result, string callback, out double value)
    {
        value = Read(result);
        if (!double.IsNaN(value))
        {
            return true;
        }

        if (_hasNoWeightedSamples(result))
        {
            return false;
        }

        throw new InvalidOperationException(
            $"{callback} monitors {Name}, which epoch {result.Epoch} did not measure. Monitor a head and metric that this Fit call measures.");
    }

    private static bool AllUnweighted(IReadOnlyList<HeadMetrics> heads)
    {
        foreach (HeadMetrics head in heads)
        {
            if (head.Samples > 0)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Tracks the best value of a monitor and how many epochs passed without improving it.</summary>
internal struct ImprovementTracker
{
    public double Best;
    public int BestEpoch;
    public int Wait;

    public static ImprovementTracker Start(MonitoredValue monitor) => new()
    {
        Best = monitor.HigherIsBetter ? double.NegativeInfinity : double.PositiveInfinity,
    };

    /// <summary>Records <paramref name="value"/>; returns whether it improved on the best by more than <paramref name="minDelta"/>.</summary>
    public bool Update(MonitoredValue monitor, double value, double minDelta, int epoch)
    {
        bool improved = monitor.HigherIsBetter ? value > Best + minDelta : value < Best - minDelta;
        if (improved)
        {
            Best = value;
            BestEpoch = epoch;
            Wait = 0;
        }
        else
        {
            Wait++;
        }

        return improved;
    }

    public readonly string Describe(MonitoredValue monitor) =>
        $"{monitor.Name} did not improve for {Wait} epoch(s); best {Best.ToString("G6", CultureInfo.InvariantCulture)} at epoch {BestEpoch}";
}

/// <summary>
/// Ends training when a monitored value stops improving, as Keras's <c>EarlyStopping</c>: after
/// <see cref="Patience"/> epochs in a row without an improvement larger than <see cref="MinDelta"/> (0 and 1 both
/// stop at the first such epoch).
/// </summary>
public sealed class EarlyStopping : ITrainingCallback
{
    private ImprovementTracker _tracker;
    private float[][]? _bestWeights;
    private int _lastEpoch;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">The value to watch, e.g. <c>MonitoredValue.Validation(model.Digit, Metric.Accuracy)</c>.</param>
    public EarlyStopping(MonitoredValue monitor) => Monitor = monitor ?? throw new ArgumentNullException(nameof(monitor));

    /// <summary>The watched value.</summary>
    public MonitoredValue Monitor { get; }

    /// <summary>Epochs without improvement to accept before stopping; 0 or more. Defaults to 0.</summary>
    public int Patience { get; init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Patience must be 0 or more."); }

    /// <summary>Smallest change that counts as an improvement; 0 or more. Defaults to 0.</summary>
    public double MinDelta { get; init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MinDelta must be 0 or more."); }

    /// <summary>
    /// Whether to put back the weights of the best epoch when training ends (stopped early or not). Optimizer
    /// state is not restored. Defaults to false.
    /// </summary>
    public bool RestoreBestWeights { get; init; }

    /// <summary>Epoch with the best value so far, 0 before the first epoch.</summary>
    public int BestEpoch => _tracker.BestEpoch;

    /// <summary>Best value so far.</summary>
    public double Best => _tracker.Best;

    /// <inheritdoc/>
    public void OnTrainBegin(TrainingContext context)
    {
        Monitor.CheckAvailable(context, nameof(EarlyStopping));
        _tracker = ImprovementTracker.Start(Monitor);
        _bestWeights = null;
    }

    /// <inheritdoc/>
    public void OnEpochEnd(TrainingContext context, EpochResult result)
    {
        _lastEpoch = result.Epoch;
        if (!Monitor.TryReadRequired(result, nameof(EarlyStopping), out double value))
        {
            // Every sample of the monitored heads had weight 0, so the epoch counts neither as an improvement nor against patience.
            return;
        }

        if (_tracker.Update(Monitor, value, MinDelta, result.Epoch))
        {
            if (RestoreBestWeights)
            {
                _bestWeights ??= context.Model.GetWeights();
                CopyWeights(context.Model.Parameters, _bestWeights);
            }

            return;
        }

        if (_tracker.Wait >= Patience)
        {
            context.StopTraining(_tracker.Describe(Monitor));
        }
    }

    /// <inheritdoc/>
    public void OnTrainEnd(TrainingContext context)
    {
        if (RestoreBestWeights && _bestWeights is not null && _tracker.BestEpoch != _lastEpoch)
        {
            context.Model.SetWeights(_bestWeights);
        }
    }

    private static void CopyWeights(IReadOnlyList<Parameter> parameters, float[][] destination)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            parameters[i].Value.CopyTo(destination[i], 0);
        }
    }
}

/// <summary>
/// Stops training one head when its monitored value stops improving, while the other heads go on: from the next
/// epoch, <c>Fit</c> calls the training method of the remaining heads, which leaves the stopped head's own layers
/// (and their optimizer state) unchanged. Shared layers keep learning from the other heads.
/// </summary>
public sealed class HeadEarlyStopping : ITrainingCallback
{
    private ImprovementTracker _tracker;

    /// <summary>Creates the callback.</summary>
    /// <param name="head">The head to stop, e.g. <c>model.Parity</c>.</param>
    /// <param name="monitor">The value to watch; defaults to the head's validation loss.</param>
    public HeadEarlyStopping(Layer head, MonitoredValue? monitor = null)
    {
        ArgumentNullException.ThrowIfNull(head);
        Head = head;
        Monitor = monitor ?? MonitoredValue.Validation(head);
    }

    /// <summary>The head this callback stops.</summary>
    public Layer Head { get; }

    /// <summary>The watched value.</summary>
    public MonitoredValue Monitor { get; }

    /// <summary>Epochs without improvement to accept before stopping the head; 0 or more. Defaults to 0.</summary>
    public int Patience { get; init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Patience must be 0 or more."); }

    /// <summary>Smallest change that counts as an improvement; 0 or more. Defaults to 0.</summary>
    public double MinDelta { get; init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MinDelta must be 0 or more."); }

    /// <summary>Epoch with the best value so far.</summary>
    public int BestEpoch => _tracker.BestEpoch;

    /// <inheritdoc/>
    public void OnTrainBegin(TrainingContext context)
    {
        Monitor.CheckAvailable(context, $"{nameof(HeadEarlyStopping)} of {Head.Name}");
        if (!context.IsTraining(Head))
        {
            throw new InvalidOperationException($"{nameof(HeadEarlyStopping)} watches head {Head.Name}, which this Fit call does not train. Add it to FitOptions.Heads or remove the callback.");
        }

        _tracker = ImprovementTracker.Start(Monitor);
    }

    /// <inheritdoc/>
    public void OnEpochEnd(TrainingContext context, EpochResult result)
    {
        if (!context.IsTraining(Head))
        {
            return;
        }

        if (!Monitor.TryReadRequired(result, $"{nameof(HeadEarlyStopping)} of {Head.Name}", out double value))
        {
            return;
        }

        if (!_tracker.Update(Monitor, value, MinDelta, result.Epoch) && _tracker.Wait >= Patience)
        {
            context.StopHead(Head, _tracker.Describe(Monitor));
        }
    }
}

/// <summary>Sets the optimizer's learning rate before each epoch from a schedule.</summary>
public sealed class LearningRateScheduler : ITrainingCallback
{
    private readonly Func<int, float, float> _schedule;

    /// <summary>Creates the callback.</summary>
    /// <param name="schedule">Returns the learning rate of an epoch (starting at 1) from the epoch and the current rate.</param>
    public LearningRateScheduler(Func<int, float, float> schedule) => _schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));

    /// <summary>Returns a schedule that multiplies the rate by <paramref name="factor"/> every <paramref name="epochs"/> epochs.</summary>
    /// <param name="epochs">Epochs between decays; 1 or more.</param>
    /// <param name="factor">Multiplier in (0, 1].</param>
    public static LearningRateScheduler StepDecay(int epochs, float factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        if (!(factor > 0 && factor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The decay factor must be in (0, 1].");
        }

        return new((epoch, rate) => epoch > 1 && (epoch - 1) % epochs == 0 ? rate * factor : rate);
    }

    /// <inheritdoc/>
    public void OnEpochBegin(TrainingContext context) =>
        context.Model.Optimizer.LearningRate = _schedule(context.Epoch, context.Model.Optimizer.LearningRate);
}

/// <summary>Calls a delegate after each epoch, e.g. to log or plot.</summary>
public sealed class EpochEndCallback : ITrainingCallback
{
    private readonly Action<TrainingContext, EpochResult> _action;

    /// <summary>Creates the callback.</summary>
    /// <param name="action">Called with the context and the epoch's result.</param>
    public EpochEndCallback(Action<TrainingContext, EpochResult> action) => _action = action ?? throw new ArgumentNullException(nameof(action));

    /// <inheritdoc/>
    public void OnEpochEnd(TrainingContext context, EpochResult result) => _action(context, result);
}

/// <summary>
/// Saves the model during training with <see cref="ModelFile.Save(IModel, string, bool)"/>, which writes a
/// temporary file and moves it into place, so a killed process never leaves a partial checkpoint.
/// </summary>
public sealed class ModelCheckpoint : ITrainingCallback
{
    private readonly string _path;
    private readonly int _every;
    private readonly MonitoredValue? _monitor;
    private ImprovementTracker _tracker;

    private ModelCheckpoint(string path, int every, MonitoredValue? monitor)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
        _every = every;
        _monitor = monitor;
    }

    /// <summary>Whether checkpoints include the optimizer state, for resuming training. Defaults to false.</summary>
    public bool IncludeOptimizerState { get; set; }

    /// <summary>Path of the last checkpoint written, or <see langword="null"/>.</summary>
    public string? LastPath { get; private set; }

    /// <summary>Epoch of the last checkpoint written, 0 before the first.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>Returns a callback that saves every <paramref name="epochs"/> epochs.</summary>
    /// <param name="epochs">Epochs between checkpoints; 1 or more.</param>
    /// <param name="path">Destination; <c>{epoch}</c> in it is replaced by the epoch number.</param>
    public static ModelCheckpoint Every(int epochs, string path)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        return new(path, epochs, null);
    }

    /// <summary>Returns a callback that saves after each epoch that improves <paramref name="monitor"/>.</summary>
    /// <param name="path">Destination; <c>{epoch}</c> in it is replaced by the epoch number.</param>
    /// <param name="monitor">The value that decides which epoch is best.</param>
    public static ModelCheckpoint Best(string path, MonitoredValue monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        return new(path, 0, monitor);
    }

    /// <inheritdoc/>
    public void OnTrainBegin(TrainingContext context)
    {
        _monitor?.CheckAvailable(context, nameof(ModelCheckpoint));
        if (_monitor is not null)
        {
            _tracker = ImprovementTracker.Start(_monitor);
        }
    }

    /// <inheritdoc/>
    public void OnEpochEnd(TrainingContext context, EpochResult result)
    {
        bool save = _monitor is null
            ? result.Epoch % _every == 0
            : _monitor.TryReadRequired(result, nameof(ModelCheckpoint), out double value) && _tracker.Update(_monitor, value, 0, result.Epoch);
        if (!save)
        {
            return;
        }

        string path = _path.Replace("{epoch}", result.Epoch.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        context.Model.Save(path, IncludeOptimizerState);
        LastPath = path;
        LastEpoch = result.Epoch;
    }
}
