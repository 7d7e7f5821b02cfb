using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using CsCheck;
using ModelGen.Optimizers;
using ModelGen.Tests.Models;
using Xunit;

namespace ModelGen.Tests;

/// <summary>
/// Saving and loading models as safetensors. Expected bytes and headers are built by hand here from the format
/// specification (8-byte little-endian header length, JSON header, little-endian data), not by the writer.
/// </summary>
public sealed class SafetensorsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "modelgen-safetensors-" + Guid.NewGuid().ToString("N"));

    public SafetensorsTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void SaveLoad_RoundTripsBitwise()
    {
        NetS source = NetSFixture.Create();
        source.TrainOnAAndB(NetSFixture.X, NetSFixture.TargetA, NetSFixture.TargetB);
        var target = new NetS(seed: 99);

        using var stream = new MemoryStream();
        source.Save(stream);
        stream.Position = 0;
        target.Load(stream);

        AssertSameWeights(source, target);
    }

    [Fact]
    public void Save_WritesSpecifiedLayout()
    {
        NetS net = NetSFixture.Create();
        using var stream = new MemoryStream();
        net.Save(stream);
        byte[] bytes = stream.ToArray();

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, headerLength % 8);
        using JsonDocument header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        JsonElement root = header.RootElement;
        Assert.Equal("pt", root.GetProperty("__metadata__").GetProperty("format").GetString());

        var expected = new (string Name, int[] Shape, float[] Values)[]
        {
            ("T.weight", [2, 2], [0.1f, -0.2f, 0.3f, 0.4f]),
            ("T.bias", [2], [0f, 0f]),
            ("A.weight", [1, 2], [0.5f, -0.5f]),
            ("A.bias", [1], [0f]),
            ("B.weight", [1, 2], [-0.3f, 0.2f]),
            ("B.bias", [1], [0.1f]),
        };
        int dataStart = 8 + (int)headerLength;
        long dataEnd = 0;
        foreach ((string name, int[] shape, float[] values) in expected)
        {
            JsonElement entry = root.GetProperty(name);
            Assert.Equal("F32", entry.GetProperty("dtype").GetString());
            Assert.Equal(shape, entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            long[] offsets = [.. entry.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64())];
            Assert.Equal(values.Length * 4, offsets[1] - offsets[0]);
            float[] stored = [.. Enumerable.Range(0, values.Length).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(dataStart + (int)offsets[0] + (4 * i))))];
            Assert.Equal(values, stored);
            dataEnd = Math.Max(dataEnd, offsets[1]);
        }

        Assert.Equal(7, root.EnumerateObject().Count());
        Assert.Equal(bytes.Length, dataStart + dataEnd);
    }

    [Fact]
    public void Load_ReadsHandBuiltFile()
    {
        // Tensors in another order than the model's, unpadded header, extra metadata.
        byte[] file = HandBuiltFile(
            """{"B.bias":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"__metadata__":{"format":"pt","note":"hand"},"A.bias":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"B.weight":{"dtype":"F32","shape":[1,2],"data_offsets":[8,16]},"A.weight":{"dtype":"F32","shape":[1,2],"data_offsets":[16,24]},"T.bias":{"dtype":"F32","shape":[2],"data_offsets":[24,32]},"T.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[32,48]}}""",
            [7f, 6f, 5f, 4f, 3f, 2f, 1.5f, -1.5f, 0.25f, -0.25f, 8f, 9f]);
        var net = new NetS();

        net.Load(new MemoryStream(file));

        Assert.Equal([0.25f, -0.25f, 8f, 9f], net.T.Weights);
        Assert.Equal([1.5f, -1.5f], net.T.Bias);
        Assert.Equal([3f, 2f], net.A.Weights);
        Assert.Equal([6f], net.A.Bias);
        Assert.Equal([5f, 4f], net.B.Weights);
        Assert.Equal([7f], net.B.Bias);
    }

    [Fact]
    public void SavePath_ReplacesFileWithoutLeftovers()
    {
        string path = Path.Combine(_folder, "net.safetensors");
        File.WriteAllText(path, "old content");
        NetS net = NetSFixture.Create();

        net.Save(path);

        Assert.Equal([path], Directory.GetFiles(_folder));
        var loaded = new NetS(seed: 5);
        loaded.Load(path);
        AssertSameWeights(net, loaded);
    }

    [Fact]
    public void SavePath_MissingFolderLeavesNothing()
    {
        string path = Path.Combine(_folder, "absent", "net.safetensors");

        Assert.Throws<DirectoryNotFoundException>(() => NetSFixture.Create().Save(path));
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    public static TheoryData<string, byte[], string> InvalidFiles() => new()
    {
        { "empty", [], "header length" },
        { "short prefix", [1, 2, 3], "header length" },
        { "header over limit", Prefix(100_000_001), "above the limit" },
        { "header past end", [.. Prefix(64), .. "{}"u8], "truncated" },
        { "not an object", HandBuiltFile("[1,2,3]", []), "does not start with '{'" },
        { "invalid JSON", HandBuiltFile("{\"T.weight\":", []), "JSON header" },
        { "content after root", HandBuiltFile("{} {}", []), "JSON header" },
        { "duplicate name", HandBuiltFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[4,8]}}", new float[2]), "twice" },
        { "metadata number", HandBuiltFile("{\"__metadata__\":{\"x\":1}}", []), "not a string" },
        { "unknown field", HandBuiltFile(Header(("T.weight", "F32", "[2,2]", 0, 16)).Replace("\"dtype\"", "\"align\":1,\"dtype\"", StringComparison.Ordinal), new float[4]), "unknown field 'align'" },
        { "negative offset", HandBuiltFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", []), "only integers" },
        { "fractional shape", HandBuiltFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", new float[1]), "only integers" },
        { "three offsets", HandBuiltFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", new float[1]), "needs 2" },
        { "missing dtype", HandBuiltFile("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new float[1]), "has no dtype" },
        { "F16 weight", NetSFile(dtype: ("A.bias", "F16")), "tensor 'A.bias' has dtype F16" },
        { "size mismatch", NetSFile(shape: ("A.bias", "[2]")), "needs 8 bytes" },
        { "shape mismatch", NetSFile(shape: ("A.weight", "[2,1]")), "tensor 'A.weight' has shape [2, 1], but NetS needs [1, 2]" },
        { "shape overflow", HandBuiltFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", new float[1]), "64 bits" },
        { "missing tensor", NetSFile(drop: "B.bias"), "missing tensors: B.bias" },
        { "unexpected tensor", NetSFile(extra: "C.weight"), "unexpected tensors: C.weight" },
        { "overlap", NetSFile(offsets: ("A.bias", 20, 24)), "overlap" },
        { "end before begin", NetSFile(offsets: ("A.bias", 28, 24)), "end before they begin" },
        { "past the data", NetSFile(offsets: ("B.bias", 44, 52)), "reach past" },
        { "gap", NetSFile(offsets: ("B.bias", 48, 52), trailing: 4), "gap" },
        { "trailing bytes", NetSFile(trailing: 4), "cover the data section exactly" },
        { "truncated data", NetSFile()[..^3], "reach past" },
        { "NaN value", NetSFile(value: float.NaN), "contains NaN at index 0" },
    };

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void Load_RejectsInvalidFileUnchanged(string name, byte[] file, string message)
    {
        _ = name;
        NetS net = NetSFixture.Create();
        float[][] before = net.GetWeights();

        var error = Assert.Throws<InvalidDataException>(() => net.Load(new MemoryStream(file)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Cannot load 'stream'", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, net.GetWeights());
    }

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void Load_RejectsInvalidNonSeekableStream(string name, byte[] file, string message)
    {
        _ = name;
        _ = message;
        NetS net = NetSFixture.Create();
        float[][] before = net.GetWeights();

        Assert.Throws<InvalidDataException>(() => net.Load(new ForwardOnlyStream(file)));

        Assert.Equal(before, net.GetWeights());
    }

    [Fact]
    public void Load_NonSeekableStreamRoundTrips()
    {
        NetS source = NetSFixture.Create();
        source.TrainOnA(NetSFixture.X, NetSFixture.TargetA);
        using var buffer = new MemoryStream();
        source.Save(buffer, includeOptimizerState: true);
        var target = new NetS(seed: 3);

        target.Load(new ForwardOnlyStream(buffer.ToArray()));

        AssertSameWeights(source, target);
    }

    [Fact]
    public void Load_PathErrorNamesFile()
    {
        string path = Path.Combine(_folder, "broken.safetensors");
        File.WriteAllBytes(path, NetSFile(dtype: ("T.weight", "BF16")));

        var error = Assert.Throws<InvalidDataException>(() => new NetS().Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("BF16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LyingHeaderLengthAllocatesLittle()
    {
        // A non-seekable stream cannot tell its length up front, so the header buffer must grow with the data.
        byte[] file = [.. Prefix(99_000_000), .. Encoding.UTF8.GetBytes("{\"a\":")];
        var net = new NetS();
        net.Load(new MemoryStream(NetSFile()));

        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<InvalidDataException>(() => net.Load(new ForwardOnlyStream(file)));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 1_000_000, $"Loading a 13-byte stream allocated {allocated} bytes.");
    }

    [Fact]
    public void OptimizerState_RoundTripsAndContinuesBitwise()
    {
        NetS source = NetSFixture.Create();
        source.Optimizer = new Adam(0.05f);
        source.TrainOnA(NetSFixture.X, NetSFixture.TargetA);
        source.TrainOnA(NetSFixture.X, NetSFixture.TargetA);
        using var stream = new MemoryStream();
        source.Save(stream, includeOptimizerState: true);

        var target = new NetS(seed: 4) { Optimizer = new Adam(0.05f) };
        stream.Position = 0;
        target.Load(stream, includeOptimizerState: true);

        Assert.Equal(2, target.Optimizer.GetState(target.T.WeightParameter)!.StepCount);
        Assert.Null(target.B.WeightParameter.OptimizerState);
        Assert.Null(target.B.BiasParameter.OptimizerState);
        source.TrainOnAAndB(NetSFixture.X, NetSFixture.TargetA, NetSFixture.TargetB);
        target.TrainOnAAndB(NetSFixture.X, NetSFixture.TargetA, NetSFixture.TargetB);
        AssertSameWeights(source, target);
        Assert.Equal(3, target.Optimizer.GetState(target.A.BiasParameter)!.StepCount);
        Assert.Equal(1, target.Optimizer.GetState(target.B.BiasParameter)!.StepCount);
    }

    [Fact]
    public void OptimizerState_StoresNamesAndSteps()
    {
        NetS net = NetSFixture.Create();
        net.Optimizer = new Sgd(0.1f, momentum: 0.9f);
        net.TrainOnB(NetSFixture.X, NetSFixture.TargetB);
        using var stream = new MemoryStream();
        net.Save(stream, includeOptimizerState: true);
        byte[] bytes = stream.ToArray();

        using JsonDocument header = JsonDocument.Parse(bytes.AsMemory(8, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes)));
        JsonElement root = header.RootElement;
        JsonElement metadata = root.GetProperty("__metadata__");
        Assert.Equal("1", metadata.GetProperty("optimizer.B.bias.step").GetString());
        Assert.Equal("momentum_buffer", metadata.GetProperty("modelgen.optimizer.buffers").GetString());
        Assert.False(metadata.TryGetProperty("optimizer.A.bias.step", out _));
        Assert.Equal([2, 2], root.GetProperty("optimizer.T.weight.momentum_buffer").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.False(root.TryGetProperty("optimizer.A.weight.momentum_buffer", out _));
    }

    [Fact]
    public void OptimizerState_StepOnlyOptimizerRestoresCounts()
    {
        NetS source = NetSFixture.Create();
        source.TrainOnA(NetSFixture.X, NetSFixture.TargetA);
        using var stream = new MemoryStream();
        source.Save(stream, includeOptimizerState: true);
        NetS target = NetSFixture.Create();

        stream.Position = 0;
        target.Load(stream, includeOptimizerState: true);

        Assert.Equal(1, target.Optimizer.GetState(target.A.WeightParameter)!.StepCount);
        Assert.Null(target.Optimizer.GetState(target.B.WeightParameter));
    }

    [Fact]
    public void OptimizerState_MismatchedOptimizerRejectedUnchanged()
    {
        NetS source = NetSFixture.Create();
        source.Optimizer = new Adam();
        source.TrainOnA(NetSFixture.X, NetSFixture.TargetA);
        using var stream = new MemoryStream();
        source.Save(stream, includeOptimizerState: true);
        NetS target = NetSFixture.Create();
        target.Optimizer = new Sgd(0.1f, momentum: 0.5f);
        target.TrainOnB(NetSFixture.X, NetSFixture.TargetB);
        float[][] before = target.GetWeights();
        OptimizerState? state = target.B.WeightParameter.OptimizerState;

        stream.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => target.Load(stream, includeOptimizerState: true));

        Assert.Contains("from Adam with buffers [exp_avg,exp_avg_sq]", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, target.GetWeights());
        Assert.Same(state, target.B.WeightParameter.OptimizerState);
    }

    [Fact]
    public void OptimizerState_AbsentStateRejectedWhenRequested()
    {
        var error = Assert.Throws<InvalidDataException>(() => new NetS().Load(new MemoryStream(NetSFile()), includeOptimizerState: true));

        Assert.Contains("contains no optimizer state", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptimizerState_SkippedWhenNotRequested()
    {
        NetS source = NetSFixture.Create();
        source.Optimizer = new Adam();
        source.TrainOnA(NetSFixture.X, NetSFixture.TargetA);
        using var stream = new MemoryStream();
        source.Save(stream, includeOptimizerState: true);
        var target = new NetS(seed: 8);

        stream.Position = 0;
        target.Load(stream);

        AssertSameWeights(source, target);
        Assert.All(target.Parameters, p => Assert.Null(p.OptimizerState));
    }

    [Fact]
    public void Fuzz_RandomBytesRejectedCleanly()
    {
        var net = NetSFixture.Create();
        Gen.Byte.Array[0, 300].Sample(bytes => CheckLoad(net, bytes), iter: 3000, threads: 1);
    }

    [Fact]
    public void Fuzz_MutatedFilesRejectedCleanly()
    {
        NetS trained = NetSFixture.Create();
        trained.Optimizer = new Adam();
        trained.TrainOnA(NetSFixture.X, NetSFixture.TargetA);
        using var stream = new MemoryStream();
        trained.Save(stream, includeOptimizerState: true);
        byte[] valid = stream.ToArray();
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        var net = NetSFixture.Create();
        net.Optimizer = new Adam();

        Gen<byte[]> mutations = Gen.Select(Gen.Int[0, 5], Gen.Int[0, valid.Length - 1], Gen.Byte.Array[1, 8], Gen.ULong, (kind, position, bytes, number) =>
        {
            byte[] file = (byte[])valid.Clone();
            switch (kind)
            {
                case 0:
                    // Overwrite bytes anywhere.
                    for (int i = 0; i < bytes.Length && position + i < file.Length; i++)
                    {
                        file[position + i] = bytes[i];
                    }

                    return file;
                case 1:
                    return file[..position];
                case 2:
                    return [.. file[..position], .. bytes, .. file[position..]];
                case 3:
                    // A random header length, often near the real one.
                    ulong length = (number & 1) == 0 ? number : (ulong)(headerEnd - 8) + (number % 64) - 32;
                    BinaryPrimitives.WriteUInt64LittleEndian(file, length);
                    return file;
                case 4:
                    // Change one digit of the JSON header: shapes, offsets and step counts.
                    int[] digits = [.. Enumerable.Range(8, headerEnd - 8).Where(i => char.IsAsciiDigit((char)file[i]))];
                    file[digits[position % digits.Length]] = (byte)('0' + (number % 10));
                    return file;
                default:
                    // Change one character of the JSON header to a structural one.
                    ReadOnlySpan<byte> structural = "{}[]\",:\\ -e."u8;
                    file[8 + (position % (headerEnd - 8))] = structural[(int)(number % (ulong)structural.Length)];
                    return file;
            }
        });

        mutations.Sample(file => CheckLoad(net, file), iter: 6000, threads: 1);
    }

    /// <summary>
    /// Loads <paramref name="file"/> from a seekable and a forward-only stream with and without optimizer state,
    /// and checks that each load either succeeds or throws <see cref="InvalidDataException"/> with the model
    /// unchanged, allocating a bounded amount.
    /// </summary>
    private static void CheckLoad(NetS net, byte[] file)
    {
        float[][] weights = net.GetWeights();
        foreach (bool forwardOnly in new[] { false, true })
        {
            foreach (bool includeState in new[] { false, true })
            {
                Stream stream = forwardOnly ? new ForwardOnlyStream(file) : new MemoryStream(file);
                OptimizerState?[] states = [.. net.Parameters.Select(p => p.OptimizerState)];
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    net.Load(stream, includeState);
                }
                catch (InvalidDataException)
                {
                    Assert.Equal(weights, net.GetWeights());
                    Assert.Equal(states, net.Parameters.Select(p => p.OptimizerState));
                }

                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated < 200_000 + (64L * file.Length), $"Loading {file.Length} bytes allocated {allocated} bytes.");
                net.SetWeights(weights);
            }
        }
    }

    private static void AssertSameWeights(NetS expected, NetS actual)
    {
        float[][] a = expected.GetWeights(), b = actual.GetWeights();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], b[i]);
        }
    }

    private static byte[] Prefix(ulong headerLength)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength);
        return bytes;
    }

    private static byte[] HandBuiltFile(string header, float[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var file = new List<byte>(Prefix((ulong)json.Length));
        file.AddRange(json);
        foreach (float value in data)
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            file.AddRange(bytes);
        }

        return [.. file];
    }

    private static string Header(params (string Name, string DType, string Shape, long Begin, long End)[] entries) =>
        "{" + string.Join(",", entries.Select(e => $"\"{e.Name}\":{{\"dtype\":\"{e.DType}\",\"shape\":{e.Shape},\"data_offsets\":[{e.Begin},{e.End}]}}")) + "}";

    /// <summary>
    /// Builds a Net-S file by hand: T.weight [2,2] at 0–16, T.bias [2] at 16–24, A.weight [1,2] at 24–32,
    /// A.bias [1] at 32–36, B.weight [1,2] at 36–44, B.bias [1] at 44–48, with one field changed as requested.
    /// </summary>
    private static byte[] NetSFile(
        (string Name, string DType)? dtype = null,
        (string Name, string Shape)? shape = null,
        (string Name, long Begin, long End)? offsets = null,
        string? drop = null,
        string? extra = null,
        int trailing = 0,
        float value = 0.5f)
    {
        var entries = new List<(string Name, string DType, string Shape, long Begin, long End)>
        {
            ("T.weight", "F32", "[2,2]", 0, 16),
            ("T.bias", "F32", "[2]", 16, 24),
            ("A.weight", "F32", "[1,2]", 24, 32),
            ("A.bias", "F32", "[1]", 32, 36),
            ("B.weight", "F32", "[1,2]", 36, 44),
            ("B.bias", "F32", "[1]", 44, 48),
        };
        int count = 12;
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (dtype?.Name == e.Name)
            {
                e.DType = dtype.Value.DType;
            }

            if (shape?.Name == e.Name)
            {
                e.Shape = shape.Value.Shape;
            }

            if (offsets?.Name == e.Name)
            {
                (e.Begin, e.End) = (offsets.Value.Begin, offsets.Value.End);
            }

            entries[i] = e;
        }

        if (drop is not null)
        {
            entries.RemoveAll(e => e.Name == drop);
            count -= 1;
        }

        if (extra is not null)
        {
            entries.Add((extra, "F32", "[1]", 48, 52));
            count += 1;
        }

        float[] data = [.. Enumerable.Repeat(0.25f, count + (trailing / 4))];
        data[0] = value;
        return HandBuiltFile(Header([.. entries]), data);
    }

    /// <summary>A read-only stream that cannot seek or report its length, like a network or pipe stream.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
