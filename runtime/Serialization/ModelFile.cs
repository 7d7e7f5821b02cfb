using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using ModelGen.Optimizers;
using ModelGen.Serialization;

namespace ModelGen;

/// <summary>
/// Saves and loads the parameters of any generated model in the safetensors format, which PyTorch
/// (<c>safetensors.torch.load_file</c>) and TorchSharp read: tensors are named <c>Layer.weight</c> ([units, inputs])
/// and <c>Layer.bias</c> ([units]) as <c>nn.Linear</c> names and shapes them, stored as little-endian F32.
/// Optionally the file also carries the optimizer state under names that start with <c>optimizer.</c>.
/// </summary>
public static class ModelFile
{
    /// <summary>Largest JSON header accepted, in bytes (100 MB, as the reference implementation).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    /// <summary>Prefix of the tensor and metadata names that carry optimizer state.</summary>
    public const string OptimizerPrefix = "optimizer.";

    private const string OptimizerTypeKey = "modelgen.optimizer";
    private const string OptimizerBuffersKey = "modelgen.optimizer.buffers";
    private const string StepSuffix = ".step";

    /// <summary>
    /// Writes the model's parameters to <paramref name="path"/> atomically: the bytes go to a temporary file in
    /// the same folder, which is flushed to disk and then moved over <paramref name="path"/>, so a process killed
    /// mid-save leaves either the old file or the new one, never a partial file.
    /// </summary>
    /// <param name="model">The model to save.</param>
    /// <param name="path">Destination file; its folder must exist.</param>
    /// <param name="includeOptimizerState">Whether to add the optimizer's per-parameter state (step counts and buffers).</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(this IModel model, string path, bool includeOptimizerState = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        string temporary = Path.Combine(folder, "." + Path.GetFileName(fullPath) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Save(model, stream, includeOptimizerState);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            // Only a temporary file that was created is removed, so a failure to create it keeps its own exception.
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            throw;
        }
    }

    /// <summary>Writes the model's parameters to <paramref name="stream"/> in the safetensors format.</summary>
    /// <param name="model">The model to save.</param>
    /// <param name="stream">A writable stream; it is left open.</param>
    /// <param name="includeOptimizerState">Whether to add the optimizer's per-parameter state (step counts and buffers).</param>
    public static void Save(this IModel model, Stream stream, bool includeOptimizerState = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);

        // 1. Collect the tensors and metadata, weights first in model order.
        var tensors = new List<(string Name, ReadOnlyMemory<int> Shape, float[] Values)>();
        var metadata = new List<(string Key, string Value)> { ("format", "pt") };
        foreach (Parameter parameter in model.Parameters)
        {
            // Load rejects non-finite weights, so a diverged model is refused here rather than saved unreadable.
            int bad = Array.FindIndex(parameter.Value, static v => !float.IsFinite(v));
            if (bad >= 0)
            {
                throw new InvalidOperationException(
                    $"Cannot save: tensor '{parameter.Name}' holds {parameter.Value[bad].ToString(CultureInfo.InvariantCulture)} at index {bad}. " +
                    "The model has diverged; restore earlier weights or lower the learning rate before saving.");
            }

            tensors.Add((parameter.Name, parameter.Shape.ToArray(), parameter.Value));
        }

        if (includeOptimizerState)
        {
            Optimizer optimizer = model.Optimizer;
            IReadOnlyList<string> bufferNames = optimizer.StateBufferNames;
            metadata.Add((OptimizerTypeKey, optimizer.GetType().Name));
            metadata.Add((OptimizerBuffersKey, string.Join(",", bufferNames)));
            foreach (Parameter parameter in model.Parameters)
            {
                if (optimizer.GetState(parameter) is not { } state)
                {
                    continue;
                }

                metadata.Add((OptimizerPrefix + parameter.Name + StepSuffix, state.StepCount.ToString(CultureInfo.InvariantCulture)));
                for (int i = 0; i < bufferNames.Count; i++)
                {
                    tensors.Add((OptimizerPrefix + parameter.Name + "." + bufferNames[i], parameter.Shape.ToArray(), state.Buffers[i]));
                }
            }
        }

        // 2. The JSON header, padded with spaces to a multiple of 8 bytes so that the data stays aligned.
        var header = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(header))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(SafetensorsHeader.MetadataKey);
            foreach ((string key, string value) in metadata)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            long offset = 0;
            foreach ((string name, ReadOnlyMemory<int> shape, float[] values) in tensors)
            {
                writer.WriteStartObject(name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (int dimension in shape.Span)
                {
                    writer.WriteNumberValue(dimension);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += values.Length * (long)sizeof(float);
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        int padding = (8 - (header.WrittenCount % 8)) % 8;
        header.GetSpan(padding)[..padding].Fill((byte)' ');
        header.Advance(padding);

        // 3. Length prefix, header, then each tensor's values as little-endian F32.
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.WrittenCount);
        stream.Write(prefix);
        stream.Write(header.WrittenSpan);
        foreach ((_, _, float[] values) in tensors)
        {
            WriteLittleEndian(stream, values);
        }

        stream.Flush();
    }

    /// <summary>
    /// Replaces the model's parameters with those in the safetensors file at <paramref name="path"/>. The whole
    /// file is checked first, so a rejected file leaves the model unchanged.
    /// </summary>
    /// <param name="model">The model to load into.</param>
    /// <param name="path">A file written by <see cref="Save(IModel, string, bool)"/>, PyTorch or TorchSharp.</param>
    /// <param name="includeOptimizerState">Whether to restore the optimizer state too; the file must then contain it.
    /// Otherwise any optimizer tensors in the file are skipped.</param>
    /// <exception cref="InvalidDataException">The file is not valid safetensors or does not match the model.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static void Load(this IModel model, string path, bool includeOptimizerState = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Read(model, stream, includeOptimizerState, path);
    }

    /// <summary>
    /// Replaces the model's parameters with those in the safetensors data read from <paramref name="stream"/>
    /// up to its end. Everything is checked first, so rejected data leaves the model unchanged.
    /// </summary>
    /// <param name="model">The model to load into.</param>
    /// <param name="stream">A readable stream positioned at the start of the data; it is left open.</param>
    /// <param name="includeOptimizerState">Whether to restore the optimizer state too; the data must then contain it.
    /// Otherwise any optimizer tensors are skipped.</param>
    /// <exception cref="InvalidDataException">The data is not valid safetensors or does not match the model.</exception>
    public static void Load(this IModel model, Stream stream, bool includeOptimizerState = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        Read(model, stream, includeOptimizerState, "stream");
    }

    private static void Read(IModel model, Stream stream, bool includeOptimizerState, string source)
    {
        // 1. Header length and header, bounded before anything is allocated.
        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(stream, prefix, source, "the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        long? remaining = stream.CanSeek ? stream.Length - stream.Position : null;
        if (headerLength > MaxHeaderBytes)
        {
            throw SafetensorsHeader.Invalid(source, $"the header length is {headerLength} bytes, above the limit of {MaxHeaderBytes}. The file is not a safetensors file or is damaged.");
        }

        if (headerLength < 2 || (remaining is { } r && (long)headerLength > r))
        {
            throw SafetensorsHeader.Invalid(source, $"the header length is {headerLength} bytes but {(remaining is { } left ? left.ToString(CultureInfo.InvariantCulture) : "fewer")} bytes follow it. The file is truncated or is not a safetensors file.");
        }

        byte[] headerBytes = ReadBlock(stream, (int)headerLength, source);
        (List<SafetensorsEntry> entries, Dictionary<string, string> metadata) = SafetensorsHeader.Parse(headerBytes, source);
        ulong? dataLength = remaining is { } total ? (ulong)(total - (long)headerLength) : null;

        // 2. The file's own consistency: offsets, dtypes and sizes.
        SafetensorsEntry[] byOffset = CheckOffsets(entries, dataLength, source);
        CheckTypesAndSizes(entries, source);

        // 3. The match with the model: names, shapes and optimizer state layout.
        var steps = new Dictionary<Parameter, long>();
        Dictionary<string, Target> targets = BuildTargets(model, metadata, entries, includeOptimizerState ? steps : null, source);

        // 4. The data, read in offset order; only tensors the model uses are kept, so memory is bounded by the model.
        var values = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (SafetensorsEntry entry in byOffset)
        {
            ulong size = entry.End - entry.Begin;
            if (targets.ContainsKey(entry.Name))
            {
                var tensor = new float[size / sizeof(float)];
                ReadExactly(stream, MemoryMarshal.AsBytes(tensor.AsSpan()), source, $"the data of tensor '{entry.Name}'");
                if (!BitConverter.IsLittleEndian)
                {
                    BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<float, int>(tensor.AsSpan()), MemoryMarshal.Cast<float, int>(tensor.AsSpan()));
                }

                values[entry.Name] = tensor;
            }
            else
            {
                Skip(stream, size, source, entry.Name);
            }
        }

        if (dataLength is null && stream.ReadByte() >= 0)
        {
            throw SafetensorsHeader.Invalid(source, "bytes follow the last tensor's data; the data_offsets must cover the data section exactly.");
        }

        // 5. Values, then commit: nothing above changed the model.
        CheckValues(values, source);
        Commit(model, targets, values, includeOptimizerState ? steps : null);
    }

    /// <summary>Checks that the tensors tile the data section from 0 without gaps or overlaps, as the reference implementation requires.</summary>
    private static SafetensorsEntry[] CheckOffsets(List<SafetensorsEntry> entries, ulong? dataLength, string source)
    {
        SafetensorsEntry[] byOffset = [.. entries.OrderBy(e => e.Begin).ThenBy(e => e.End)];
        ulong next = 0;
        SafetensorsEntry? previous = null;
        foreach (SafetensorsEntry entry in byOffset)
        {
            string offsets = $"data_offsets [{entry.Begin}, {entry.End}] of tensor '{entry.Name}'";
            if (entry.End < entry.Begin)
            {
                throw SafetensorsHeader.Invalid(source, $"{offsets} end before they begin.");
            }

            if (entry.Begin < next)
            {
                throw SafetensorsHeader.Invalid(source, $"{offsets} overlap those of tensor '{previous!.Name}' (which end at {next}).");
            }

            if (entry.Begin > next)
            {
                throw SafetensorsHeader.Invalid(source, $"{offsets} leave a gap after byte {next}; tensors must cover the data section without gaps.");
            }

            if (dataLength is { } length && entry.End > length)
            {
                throw SafetensorsHeader.Invalid(source, $"{offsets} reach past the {SafetensorsHeader.Bytes(length)} of data in the file. The file is truncated.");
            }

            next = entry.End;
            previous = entry;
        }

        if (dataLength is { } total && next != total)
        {
            throw SafetensorsHeader.Invalid(source, $"the file has {SafetensorsHeader.Bytes(total)} of data but its tensors cover {SafetensorsHeader.Bytes(next)}; the data_offsets must cover the data section exactly.");
        }

        return byOffset;
    }

    private static void CheckTypesAndSizes(List<SafetensorsEntry> entries, string source)
    {
        foreach (SafetensorsEntry entry in entries)
        {
            if (entry.DType != "F32")
            {
                throw SafetensorsHeader.Invalid(source, $"tensor '{entry.Name}' has dtype {entry.DType}; only F32 is supported. Convert the tensors to float32 before saving (for example tensor.float() in PyTorch).");
            }

            ulong? bytes = SafetensorsHeader.F32ByteCount(entry.Shape);
            if (bytes != entry.End - entry.Begin)
            {
                string expected = bytes is { } b ? SafetensorsHeader.Bytes(b) : "more bytes than fit in 64 bits";
                throw SafetensorsHeader.Invalid(source, $"tensor '{entry.Name}' of shape {entry.FormatShape()} and dtype F32 needs {expected}, but its data_offsets [{entry.Begin}, {entry.End}] span {SafetensorsHeader.Bytes(entry.End - entry.Begin)}.");
            }
        }
    }

    /// <summary>Where a tensor of the file goes: a parameter's values, or one of its optimizer buffers.</summary>
    private sealed record Target(Parameter Parameter, int Buffer);

    /// <summary>
    /// Maps each tensor name the model needs to its destination and checks names and shapes. When
    /// <paramref name="steps"/> is not null, optimizer state is loaded too and receives each parameter's step count.
    /// </summary>
    private static Dictionary<string, Target> BuildTargets(IModel model, Dictionary<string, string> metadata, List<SafetensorsEntry> entries, Dictionary<Parameter, long>? steps, string source)
    {
        var targets = new Dictionary<string, Target>(StringComparer.Ordinal);
        foreach (Parameter parameter in model.Parameters)
        {
            targets.Add(parameter.Name, new Target(parameter, -1));
        }

        bool includeOptimizerState = steps is not null;
        if (steps is not null)
        {
            AddOptimizerTargets(model, metadata, targets, steps, source);
        }

        // Names: every weight must be present, and nothing unknown may be, except skipped optimizer tensors.
        var present = new HashSet<string>(entries.Select(e => e.Name), StringComparer.Ordinal);
        string[] missing = [.. targets.Keys.Where(name => !present.Contains(name))];
        string[] unexpected = [.. entries
            .Select(e => e.Name)
            .Where(name => !targets.ContainsKey(name) && (includeOptimizerState || !name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)))];
        if (missing.Length > 0 || unexpected.Length > 0)
        {
            var parts = new List<string>();
            if (missing.Length > 0)
            {
                parts.Add($"missing tensors: {string.Join(", ", missing)}");
            }

            if (unexpected.Length > 0)
            {
                parts.Add($"unexpected tensors: {string.Join(", ", unexpected)}");
            }

            throw SafetensorsHeader.Invalid(source, $"the tensors do not match {model.GetType().Name} ({string.Join("; ", parts)}). The model expects {string.Join(", ", model.Parameters.Select(p => p.Name))}.");
        }

        foreach (SafetensorsEntry entry in entries)
        {
            if (targets.TryGetValue(entry.Name, out Target? target) && !ShapeEquals(entry.Shape, target.Parameter.Shape))
            {
                throw SafetensorsHeader.Invalid(source, $"tensor '{entry.Name}' has shape {entry.FormatShape()}, but {model.GetType().Name} needs {target.Parameter.FormatShape()}.");
            }
        }

        return targets;
    }

    private static void AddOptimizerTargets(IModel model, Dictionary<string, string> metadata, Dictionary<string, Target> targets, Dictionary<Parameter, long> steps, string source)
    {
        Optimizer optimizer = model.Optimizer;
        if (!metadata.TryGetValue(OptimizerBuffersKey, out string? savedBuffers))
        {
            throw SafetensorsHeader.Invalid(source, "it contains no optimizer state. Load without includeOptimizerState, or save with includeOptimizerState: true.");
        }

        string expectedBuffers = string.Join(",", optimizer.StateBufferNames);
        if (savedBuffers != expectedBuffers)
        {
            string savedType = metadata.GetValueOrDefault(OptimizerTypeKey, "an unknown optimizer");
            throw SafetensorsHeader.Invalid(source, $"its optimizer state is from {savedType} with buffers [{savedBuffers}], but the model's optimizer is {optimizer.GetType().Name} with buffers [{expectedBuffers}]. Set a matching optimizer before loading, or load without includeOptimizerState.");
        }

        var stepKeys = new HashSet<string>(metadata.Keys.Where(k => k.StartsWith(OptimizerPrefix, StringComparison.Ordinal)), StringComparer.Ordinal);
        foreach (Parameter parameter in model.Parameters)
        {
            string stepKey = OptimizerPrefix + parameter.Name + StepSuffix;
            if (!stepKeys.Remove(stepKey))
            {
                continue;
            }

            if (!long.TryParse(metadata[stepKey], NumberStyles.None, CultureInfo.InvariantCulture, out long stepCount) || stepCount < 1)
            {
                throw SafetensorsHeader.Invalid(source, $"{SafetensorsHeader.MetadataKey} entry '{stepKey}' is '{metadata[stepKey]}'; it must be a step count of 1 or more.");
            }

            steps.Add(parameter, stepCount);

            for (int i = 0; i < optimizer.StateBufferNames.Count; i++)
            {
                targets.Add(OptimizerPrefix + parameter.Name + "." + optimizer.StateBufferNames[i], new Target(parameter, i));
            }
        }

        if (stepKeys.Count > 0)
        {
            throw SafetensorsHeader.Invalid(source, $"{SafetensorsHeader.MetadataKey} has optimizer entries for unknown parameters: {string.Join(", ", stepKeys.Order(StringComparer.Ordinal))}.");
        }
    }

    private static void CheckValues(Dictionary<string, float[]> values, string source)
    {
        foreach ((string name, float[] tensor) in values)
        {
            int bad = Array.FindIndex(tensor, static v => !float.IsFinite(v));
            if (bad >= 0)
            {
                throw SafetensorsHeader.Invalid(source, $"tensor '{name}' contains {tensor[bad].ToString(CultureInfo.InvariantCulture)} at index {bad}; values must be finite.");
            }
        }
    }

    /// <summary>Copies the checked values into the model; nothing here can fail.</summary>
    private static void Commit(IModel model, Dictionary<string, Target> targets, Dictionary<string, float[]> values, Dictionary<Parameter, long>? steps)
    {
        foreach (Parameter parameter in model.Parameters)
        {
            values[parameter.Name].CopyTo(parameter.Value, 0);
        }

        if (steps is null)
        {
            return;
        }

        // Parameters without a saved step count had no state when saved, so they start afresh.
        Optimizer optimizer = model.Optimizer;
        foreach (Parameter parameter in model.Parameters)
        {
            parameter.OptimizerState = null;
        }

        foreach ((Parameter parameter, long stepCount) in steps)
        {
            var buffers = new float[optimizer.StateBufferNames.Count][];
            foreach ((string name, Target target) in targets)
            {
                if (target.Buffer >= 0 && ReferenceEquals(target.Parameter, parameter))
                {
                    buffers[target.Buffer] = values[name];
                }
            }

            optimizer.SetState(parameter, stepCount, buffers);
        }
    }

    private static bool ShapeEquals(ulong[] saved, ReadOnlySpan<int> expected)
    {
        if (saved.Length != expected.Length)
        {
            return false;
        }

        for (int i = 0; i < saved.Length; i++)
        {
            if (saved[i] != (ulong)expected[i])
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteLittleEndian(Stream stream, float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }

        Span<byte> bytes = stackalloc byte[sizeof(float)];
        foreach (float value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            stream.Write(bytes);
        }
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string source, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw SafetensorsHeader.Invalid(source, $"it ends inside {what}. The file is truncated.", e);
        }
    }

    /// <summary>
    /// Reads <paramref name="length"/> bytes. On a stream of unknown length the buffer grows as bytes arrive,
    /// so a header length that the stream cannot back never allocates much more than the bytes that exist.
    /// </summary>
    private static byte[] ReadBlock(Stream stream, int length, string source)
    {
        if (stream.CanSeek)
        {
            var exact = new byte[length];
            ReadExactly(stream, exact, source, "the JSON header");
            return exact;
        }

        byte[] buffer = new byte[Math.Min(length, 1 << 16)];
        int filled = 0;
        while (filled < length)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, length));
            }

            int read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                throw SafetensorsHeader.Invalid(source, $"it ends inside the JSON header ({filled} of {length} bytes). The file is truncated.");
            }

            filled += read;
        }

        return buffer;
    }

    private static void Skip(Stream stream, ulong count, string source, string name)
    {
        if (stream.CanSeek)
        {
            stream.Seek((long)count, SeekOrigin.Current);
            return;
        }

        Span<byte> scratch = stackalloc byte[4096];
        while (count > 0)
        {
            int chunk = (int)Math.Min(count, (ulong)scratch.Length);
            ReadExactly(stream, scratch[..chunk], source, $"the data of tensor '{name}'");
            count -= (ulong)chunk;
        }
    }
}
