using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace Digits;

/// <summary>One line of the chart: a loss per epoch.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Color">SVG color.</param>
/// <param name="Dashed">Whether the line is dashed (validation) or solid (training).</param>
/// <param name="Values">Loss of each epoch, starting at epoch 1; NaN where the head was not measured.</param>
internal sealed record Series(string Name, string Color, bool Dashed, IReadOnlyList<double> Values);

/// <summary>Writes loss curves as a self-contained SVG with a logarithmic loss axis.</summary>
internal static class LossChart
{
    private const int Width = 760;
    private const int Height = 440;
    private const int Left = 70;
    private const int Right = 200;
    private const int Top = 40;
    private const int Bottom = 50;

    public static void Write(string path, string title, IReadOnlyList<Series> series, IReadOnlyList<(int Epoch, string Label)> markers)
    {
        int epochs = series.Max(s => s.Values.Count);
        double[] values = [.. series.SelectMany(s => s.Values).Where(v => v > 0 && double.IsFinite(v))];
        double low = Math.Floor(Math.Log10(values.Min()));
        double high = Math.Ceiling(Math.Log10(values.Max()));
        double plotWidth = Width - Left - Right;
        double plotHeight = Height - Top - Bottom;
        double X(double epoch) => Left + (plotWidth * (epoch - 1) / Math.Max(1, epochs - 1));
        double Y(double loss) => Top + (plotHeight * (high - Math.Log10(loss)) / (high - low));

        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"24\" font-size=\"15\">{Escape(title)}</text>");

        // Grid: one line per power of ten, and epoch ticks.
        for (double power = low; power <= high; power++)
        {
            double y = Y(Math.Pow(10, power));
            svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{F(y)}\" x2=\"{Width - Right}\" y2=\"{F(y)}\" stroke=\"#ddd\"/>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{Math.Pow(10, power).ToString("G3", CultureInfo.InvariantCulture)}</text>");
        }

        int step = Math.Max(1, (int)Math.Ceiling(epochs / 10.0));
        for (int epoch = 1; epoch <= epochs; epoch += step)
        {
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{F(X(epoch))}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{epoch}</text>");
        }

        svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{F(plotWidth)}\" height=\"{F(plotHeight)}\" fill=\"none\" stroke=\"#888\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{F(Left + (plotWidth / 2))}\" y=\"{Height - 12}\" text-anchor=\"middle\">epoch</text>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"18\" y=\"{F(Top + (plotHeight / 2))}\" text-anchor=\"middle\" transform=\"rotate(-90 18 {F(Top + (plotHeight / 2))})\">loss (log scale)</text>");

        foreach ((int epoch, string label) in markers)
        {
            double x = X(epoch);
            svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" y1=\"{Top}\" x2=\"{F(x)}\" y2=\"{Height - Bottom}\" stroke=\"#999\" stroke-dasharray=\"2 3\"/>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{F(x + 4)}\" y=\"{Top + 14}\" fill=\"#555\">{Escape(label)}</text>");
        }

        // Each series as a polyline, broken where it has no value.
        for (int i = 0; i < series.Count; i++)
        {
            Series line = series[i];
            var points = new StringBuilder();
            for (int e = 0; e < line.Values.Count; e++)
            {
                double value = line.Values[e];
                if (value > 0 && double.IsFinite(value))
                {
                    points.Append(F(X(e + 1))).Append(',').Append(F(Y(value))).Append(' ');
                }
            }

            string dash = line.Dashed ? " stroke-dasharray=\"6 4\"" : string.Empty;
            svg.AppendLine(CultureInfo.InvariantCulture, $"<polyline points=\"{points.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{line.Color}\" stroke-width=\"2\"{dash}/>");
            double legendY = Top + 10 + (i * 22);
            svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{Width - Right + 16}\" y1=\"{F(legendY)}\" x2=\"{Width - Right + 46}\" y2=\"{F(legendY)}\" stroke=\"{line.Color}\" stroke-width=\"2\"{dash}/>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right + 52}\" y=\"{F(legendY + 4)}\">{Escape(line.Name)}</text>");
        }

        svg.AppendLine("</svg>");
        File.WriteAllText(path, svg.ToString());
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
