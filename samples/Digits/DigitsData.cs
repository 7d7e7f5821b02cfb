using System;
using System.Globalization;
using System.IO;

namespace Digits;

/// <summary>
/// The scikit-learn digits set as CSV: one image per line, 64 pixel values from 0 to 16 (row by row), then the
/// label 0 to 9, with no header.
/// </summary>
internal static class DigitsData
{
    public const int Pixels = 64;

    /// <summary>Reads the file, scaling pixels to [0, 1]; throws <see cref="InvalidDataException"/> naming the line of any bad value.</summary>
    public static (float[] Pixels, int[] Labels) Read(string path)
    {
        string[] lines = File.ReadAllLines(path);
        var pixels = new float[lines.Length * Pixels];
        var labels = new int[lines.Length];
        int rows = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            string[] fields = lines[i].Split(',');
            if (fields.Length != Pixels + 1)
            {
                throw new InvalidDataException($"{path}:{i + 1}: expected {Pixels + 1} comma-separated values (64 pixels and the label), found {fields.Length}.");
            }

            for (int p = 0; p < Pixels; p++)
            {
                if (!float.TryParse(fields[p], NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || value < 0 || value > 16)
                {
                    throw new InvalidDataException($"{path}:{i + 1}: pixel {p + 1} is '{fields[p]}'; pixels are numbers from 0 to 16.");
                }

                pixels[(rows * Pixels) + p] = value / 16f;
            }

            if (!int.TryParse(fields[Pixels], NumberStyles.Integer, CultureInfo.InvariantCulture, out int label) || label < 0 || label > 9)
            {
                throw new InvalidDataException($"{path}:{i + 1}: the label is '{fields[Pixels]}'; labels are integers from 0 to 9.");
            }

            labels[rows] = label;
            rows++;
        }

        if (rows == 0)
        {
            throw new InvalidDataException($"{path} contains no rows.");
        }

        return (pixels.AsSpan(0, rows * Pixels).ToArray(), labels.AsSpan(0, rows).ToArray());
    }
}
