using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace TwoHeads;

/// <summary>
/// The UCI energy-efficiency set (Tsanas and Xifara, 2012) as a CSV with a header line and ten columns: eight
/// features X1..X8, then the heating load Y1 and the cooling load Y2, in kWh/m².
/// </summary>
internal sealed class EnergyData
{
    public const int FeatureCount = 8;

    private EnergyData(float[][] features, float[] heating, float[] cooling)
    {
        Features = features;
        Heating = heating;
        Cooling = cooling;
    }

    public float[][] Features { get; }

    public float[] Heating { get; }

    public float[] Cooling { get; }

    public int Count => Heating.Length;

    /// <summary>Reads the CSV, rejecting a missing file, a wrong column count or a value that is not a number.</summary>
    public static EnergyData Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Data file '{path}' was not found. Pass the energy-efficiency CSV (ENB2012_data.csv) with --data.", path);
        }

        string[] lines = File.ReadAllLines(path);
        var features = new List<float[]>();
        var heating = new List<float>();
        var cooling = new List<float>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            string[] cells = lines[i].Split(',');
            if (cells.Length != FeatureCount + 2)
            {
                throw new InvalidDataException($"{path}, line {i + 1}: expected {FeatureCount + 2} comma-separated values (X1..X8, Y1, Y2), found {cells.Length}.");
            }

            float[] row = new float[cells.Length];
            for (int c = 0; c < cells.Length; c++)
            {
                if (!float.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out row[c]) || !float.IsFinite(row[c]))
                {
                    throw new InvalidDataException($"{path}, line {i + 1}, column {c + 1}: '{cells[c]}' is not a finite number.");
                }
            }

            features.Add(row[..FeatureCount]);
            heating.Add(row[FeatureCount]);
            cooling.Add(row[FeatureCount + 1]);
        }

        if (features.Count < 10)
        {
            throw new InvalidDataException($"{path} holds {features.Count} data rows; at least 10 are needed to split train and test sets.");
        }

        return new EnergyData([.. features], [.. heating], [.. cooling]);
    }

    /// <summary>Splits the rows at random (seeded) into a training set and a test set of <paramref name="testFraction"/>.</summary>
    public (int[] Train, int[] Test) Split(double testFraction, int seed)
    {
        int[] order = Enumerable.Range(0, Count).ToArray();
        new Random(seed).Shuffle(order);
        int testCount = (int)Math.Round(Count * testFraction);
        return (order[testCount..], order[..testCount]);
    }
}

/// <summary>Mean and standard deviation per column, fitted on training rows only.</summary>
internal sealed class Standardizer
{
    private readonly double[] _mean;
    private readonly double[] _scale;

    public Standardizer(IReadOnlyList<float[]> rows)
    {
        int columns = rows[0].Length;
        _mean = new double[columns];
        _scale = new double[columns];
        for (int c = 0; c < columns; c++)
        {
            double mean = rows.Average(r => (double)r[c]);
            double variance = rows.Average(r => (r[c] - mean) * (r[c] - mean));
            _mean[c] = mean;
            _scale[c] = variance > 0 ? Math.Sqrt(variance) : 1;
        }
    }

    public float Apply(float value, int column) => (float)((value - _mean[column]) / _scale[column]);

    public float Invert(float value, int column) => (float)((value * _scale[column]) + _mean[column]);
}
