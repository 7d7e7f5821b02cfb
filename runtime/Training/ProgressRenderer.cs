using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace ModelGen.Training;

/// <summary>
/// Draws training progress as text: a bar redrawn in place with the ETA and running losses, then one summary
/// line per epoch. Redraws are limited to ten per second.
/// </summary>
internal sealed class ProgressRenderer
{
    private const int BarWidth = 24;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter _writer;
    private readonly TimeProvider _time;
    private readonly Layer[] _heads;
    private readonly bool _bar;
    private readonly StringBuilder _line = new();
    private int _epoch;
    private int _epochs;
    private int _batches;
    private long _start;
    private long _lastDraw;
    private int _lastLength;

    private ProgressRenderer(TextWriter writer, TimeProvider time, Layer[] heads, bool bar)
    {
        _writer = writer;
        _time = time;
        _heads = heads;
        _bar = bar;
    }

    /// <summary>Returns a renderer for the options, or <see langword="null"/> when progress is not shown.</summary>
    public static ProgressRenderer? Create(FitOptions options, Layer[] heads)
    {
        ProgressDisplay display = options.Progress;
        if (display == ProgressDisplay.Auto)
        {
            display = options.ProgressWriter is null && !Console.IsErrorRedirected ? ProgressDisplay.Bar : ProgressDisplay.None;
        }

        return display == ProgressDisplay.None
            ? null
            : new ProgressRenderer(options.ProgressWriter ?? Console.Error, options.TimeProvider, heads, display == ProgressDisplay.Bar);
    }

    public void BeginEpoch(int epoch, int epochs, int batches, long start)
    {
        _epoch = epoch;
        _epochs = epochs;
        _batches = batches;
        _start = start;
        _lastDraw = long.MinValue;
    }

    public void Batch(int done, double loss, HeadAccumulator[] metrics, int mask)
    {
        if (!_bar || (done < _batches && _lastDraw != long.MinValue && _time.GetElapsedTime(_lastDraw) < RedrawInterval))
        {
            return;
        }

        _lastDraw = _time.GetTimestamp();
        TimeSpan elapsed = _time.GetElapsedTime(_start);
        TimeSpan eta = TimeSpan.FromTicks(elapsed.Ticks / done * (_batches - done));
        int filled = (int)((long)BarWidth * done / _batches);
        _line.Clear();
        AppendEpoch();
        _line.Append(" [").Append('=', filled).Append(filled < BarWidth ? ">" : string.Empty).Append(' ', Math.Max(0, BarWidth - filled - 1)).Append("] ");
        _line.Append(done).Append('/').Append(_batches).Append(" ETA ").Append(Format(eta));
        _line.Append(" loss ").Append(Number(loss));
        for (int h = 0; h < _heads.Length; h++)
        {
            if ((mask & (1 << h)) != 0)
            {
                _line.Append(' ').Append(_heads[h].Name).Append(' ').Append(Number(metrics[h].RunningLoss));
            }
        }

        int length = _line.Length;
        _line.Append(' ', Math.Max(0, _lastLength - length));
        _writer.Write('\r');
        _writer.Write(_line);
        _writer.Flush();
        _lastLength = length;
    }

    public void EndEpoch(EpochResult result, int activeMask)
    {
        _line.Clear();
        AppendEpoch();
        _line.Append(' ').Append(_batches).Append('/').Append(_batches).Append(' ').Append(Format(result.Duration));
        _line.Append(" loss ").Append(Number(result.Training.Loss));
        AppendHeads(result.Training);
        if (result.Validation is { } validation)
        {
            _line.Append(" | val loss ").Append(Number(validation.Loss));
            AppendHeads(validation);
        }

        foreach (Layer head in result.TrainedHeads)
        {
            if ((activeMask & (1 << Array.IndexOf(_heads, head))) == 0)
            {
                _line.Append(" | ").Append(head.Name).Append(" stopped");
            }
        }

        int length = _line.Length;
        if (_bar)
        {
            _line.Append(' ', Math.Max(0, _lastLength - length));
            _writer.Write('\r');
        }

        _writer.WriteLine(_line);
        _writer.Flush();
        _lastLength = 0;
    }

    private void AppendEpoch() =>
        _line.Append("Epoch ").Append(_epoch.ToString(CultureInfo.InvariantCulture).PadLeft(_epochs.ToString(CultureInfo.InvariantCulture).Length)).Append('/').Append(_epochs);

    private void AppendHeads(MetricSet metrics)
    {
        foreach (HeadMetrics head in metrics.Heads)
        {
            _line.Append(' ').Append(head.Head.Name).Append(' ').Append(Number(head.Loss));
            if (head.Accuracy is { } accuracy)
            {
                _line.Append(" acc ").Append(accuracy.ToString("F4", CultureInfo.InvariantCulture));
            }
        }
    }

    private static string Number(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static string Format(TimeSpan span) => span.TotalHours >= 1
        ? span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : span.TotalSeconds >= 10 ? span.ToString(@"m\:ss", CultureInfo.InvariantCulture) : span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";
}
