using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace ModelGen.Serialization;

/// <summary>One tensor entry of a safetensors header.</summary>
/// <param name="Name">Tensor name, e.g. <c>Hidden.weight</c>.</param>
/// <param name="DType">Element type as written, e.g. <c>F32</c>.</param>
/// <param name="Shape">Dimensions, outermost first.</param>
/// <param name="Begin">First byte of the tensor's data, relative to the start of the data section.</param>
/// <param name="End">One past the last byte of the tensor's data, relative to the start of the data section.</param>
internal sealed record SafetensorsEntry(string Name, string DType, ulong[] Shape, ulong Begin, ulong End)
{
    public string FormatShape() => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>
/// Parses and checks the JSON header of a safetensors file: an object that maps each tensor name to
/// <c>{"dtype", "shape", "data_offsets"}</c>, plus an optional <c>__metadata__</c> object of string values.
/// Every problem becomes an <see cref="InvalidDataException"/> that names the source and the tensor.
/// </summary>
internal static class SafetensorsHeader
{
    public const string MetadataKey = "__metadata__";

    public static (List<SafetensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(ReadOnlySpan<byte> json, string source)
    {
        if (json.IsEmpty || json[0] != (byte)'{')
        {
            throw Invalid(source, "the JSON header does not start with '{'. The file is not a safetensors file or is damaged.");
        }

        var entries = new List<SafetensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            // Depth 3 is enough for the format: root object, tensor object, shape array.
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 3 });
            Expect(ref reader, JsonTokenType.StartObject, source, "the header");
            while (Next(ref reader, source) == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                if (!names.Add(name))
                {
                    throw Invalid(source, $"the header lists '{name}' twice.");
                }

                if (name == MetadataKey)
                {
                    ReadMetadata(ref reader, metadata, source);
                }
                else
                {
                    entries.Add(ReadEntry(ref reader, name, source));
                }
            }

            // Anything after the root object other than padding whitespace makes Read throw.
            if (reader.Read())
            {
                throw Invalid(source, "the JSON header has content after its root object.");
            }
        }
        catch (JsonException e)
        {
            throw Invalid(source, $"the JSON header is invalid: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // GetString throws this for text that is not valid UTF-8.
            throw Invalid(source, $"the JSON header is invalid: {e.Message}", e);
        }

        return (entries, metadata);
    }

    public static InvalidDataException Invalid(string source, string message, Exception? inner = null) =>
        new($"Cannot load '{source}': {message}", inner);

    private static void ReadMetadata(ref Utf8JsonReader reader, Dictionary<string, string> metadata, string source)
    {
        Expect(ref reader, JsonTokenType.StartObject, source, MetadataKey);
        while (Next(ref reader, source) == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            if (Next(ref reader, source) != JsonTokenType.String)
            {
                throw Invalid(source, $"{MetadataKey} entry '{key}' is not a string; the format allows only string values.");
            }

            if (!metadata.TryAdd(key, reader.GetString()!))
            {
                throw Invalid(source, $"{MetadataKey} lists '{key}' twice.");
            }
        }
    }

    private static SafetensorsEntry ReadEntry(ref Utf8JsonReader reader, string name, string source)
    {
        string what = $"tensor '{name}'";
        Expect(ref reader, JsonTokenType.StartObject, source, what);
        string? dtype = null;
        ulong[]? shape = null;
        ulong[]? offsets = null;
        while (Next(ref reader, source) == JsonTokenType.PropertyName)
        {
            string field = reader.GetString()!;
            switch (field)
            {
                case "dtype" when dtype is null:
                    if (Next(ref reader, source) != JsonTokenType.String)
                    {
                        throw Invalid(source, $"dtype of {what} is not a string.");
                    }

                    dtype = reader.GetString()!;
                    break;
                case "shape" when shape is null:
                    shape = ReadIntegers(ref reader, source, $"shape of {what}");
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ReadIntegers(ref reader, source, $"data_offsets of {what}");
                    break;
                case "dtype" or "shape" or "data_offsets":
                    throw Invalid(source, $"{what} lists '{field}' twice.");
                default:
                    throw Invalid(source, $"{what} has the unknown field '{field}'; only dtype, shape and data_offsets are allowed.");
            }
        }

        if (dtype is null)
        {
            throw Invalid(source, $"{what} has no dtype.");
        }

        if (shape is null)
        {
            throw Invalid(source, $"{what} has no shape.");
        }

        if (offsets is null)
        {
            throw Invalid(source, $"{what} has no data_offsets.");
        }

        if (offsets.Length != 2)
        {
            throw Invalid(source, $"data_offsets of {what} has {offsets.Length} numbers; it needs 2 (begin, end).");
        }

        return new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static ulong[] ReadIntegers(ref Utf8JsonReader reader, string source, string what)
    {
        Expect(ref reader, JsonTokenType.StartArray, source, what);
        var values = new List<ulong>();
        while (Next(ref reader, source) == JsonTokenType.Number)
        {
            if (!reader.TryGetUInt64(out ulong value))
            {
                throw Invalid(source, $"{what} contains {RawText(reader)}; only integers from 0 to {ulong.MaxValue} are allowed.");
            }

            // A real header has a handful of numbers per array; this bounds the work on hostile input.
            if (values.Count == 64)
            {
                throw Invalid(source, $"{what} has more than 64 numbers.");
            }

            values.Add(value);
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw Invalid(source, $"{what} contains a {reader.TokenType}; only integers are allowed.");
        }

        return [.. values];
    }

    private static string RawText(Utf8JsonReader reader) =>
        System.Text.Encoding.UTF8.GetString(reader.ValueSpan.Length > 40 ? reader.ValueSpan[..40] : reader.ValueSpan);

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string source, string what)
    {
        JsonTokenType actual = Next(ref reader, source);
        if (actual != expected)
        {
            string expectedText = expected switch
            {
                JsonTokenType.StartObject => "an object",
                JsonTokenType.StartArray => "an array",
                _ => expected.ToString(),
            };
            throw Invalid(source, $"{what} is not {expectedText} (found {actual}).");
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader, string source)
    {
        if (!reader.Read())
        {
            throw Invalid(source, "the JSON header ends early.");
        }

        return reader.TokenType;
    }

    /// <summary>Returns the number of bytes an F32 tensor of <paramref name="shape"/> needs, or null on overflow.</summary>
    public static ulong? F32ByteCount(ulong[] shape)
    {
        ulong count = 4;
        foreach (ulong dimension in shape)
        {
            if (dimension != 0 && count > ulong.MaxValue / dimension)
            {
                return null;
            }

            count *= dimension;
        }

        return count;
    }

    /// <summary>Formats a byte count for messages.</summary>
    public static string Bytes(ulong count) => count.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
}
