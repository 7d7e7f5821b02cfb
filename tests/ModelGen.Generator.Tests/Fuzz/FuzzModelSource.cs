using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ModelGen.Generator.Tests.Fuzz;

/// <summary>
/// Turns a sequence of random choices into the source of a <c>[Model]</c> class. Choice 0 always picks the plain,
/// valid option, so a sequence that CsCheck shrinks towards zeros and towards shorter lengths renders a smaller,
/// more ordinary model. The first choice selects a clean source, which varies only what is legal (layer kinds,
/// activations, losses, names, accessibility, nesting), or a messy one, which also makes the mistakes users
/// make: wrong or missing arguments, unknown names, cycles, huge or non-positive sizes, clashing names, odd
/// property shapes and plain syntax errors.
/// </summary>
internal sealed class FuzzModelSource
{
    /// <summary>Names that test clashes with generated names, C# keywords and case-only differences.</summary>
    private static readonly string[] s_trickyNames =
    {
        "X", "Hidden", "Out", "A", "B", "Y", "@class", "Batch", "Total", "x", "Predict", "HiddenOutput", "Losses",
        "LossL1", "Nameof", "AndB", "AAnd", "ToString", "PredictL1", "TrainOnL1", "Layers", "_", "Value", "Var",
        "Dz", "Logits", "Target", "Seed", "Outputs", "L1Output", "@int", "Net", "__l1", "Équipe", "record",
    };

    private static readonly string[] s_oddSizes = { "0", "-1", "2147483647", "100000", "65536" };

    private static readonly string[] s_activations = { "Linear", "Relu", "Sigmoid", "Tanh", "Softmax", "LeakyRelu", "Gelu", "Softplus" };

    private static readonly string[] s_losses = { "MeanSquaredError", "MeanAbsoluteError", "BinaryCrossEntropy", "SparseCategoricalCrossEntropy", "Huber", "CategoricalCrossEntropy" };

    private static readonly string[] s_validRates = { "0.0", "0.25", "0.5", "0.99" };

    private static readonly string[] s_invalidRates = { "1.0", "-0.1", "double.NaN" };

    private static readonly string[] s_validWeights = { "0.5f", "0", "1e-3f", "2.5f", "3", "0.1f" };

    private static readonly string[] s_invalidWeights = { "-1", "float.NaN", "float.PositiveInfinity" };

    private static readonly string[] s_tokens = { ")", "(", "{", "}", ",", ";", "\"", "nameof(", "[", "]", "=", "partial ", "static ", "<", ">" };

    private static readonly string[] s_validLimits = { "1", "2", "3", "8" };

    private static readonly string[] s_invalidLimits = { "0", "9", "-1" };

    private static readonly string[] s_oddClassNames = { "Predict", "Losses", "@class" };

    private static readonly string[] s_oddTypes = { "DenseLayer", "InputLayer", "AddLayer", "int", "DenseLayer?", "Layer", "UnknownType" };

    private static readonly int[] s_oddSourceCounts = { 0, 1, 3, 4 };

    private static readonly string[] s_unknownNames = { "Missing", "l0", "L" };

    private readonly IReadOnlyList<uint> _choices;
    private readonly StringBuilder _text = new();
    private readonly List<string> _names = new();
    private int _next;
    private bool _messy;

    private FuzzModelSource(IReadOnlyList<uint> choices) => _choices = choices;

    public static string Render(IReadOnlyList<uint> choices) => new FuzzModelSource(choices).Render();

    /// <summary>Returns a number in [0, <paramref name="count"/>); 0 once the choices run out.</summary>
    private int Next(int count) => _next < _choices.Count ? (int)(_choices[_next++] % (uint)count) : 0;

    /// <summary>Returns true with a probability of about <paramref name="percent"/> %; never once the choices run out.</summary>
    private bool Chance(int percent) => Next(100) >= 100 - percent;

    /// <summary>Like <see cref="Chance"/>, but always false in a clean source.</summary>
    private bool Mistake(int percent) => _messy && Chance(percent);

    private string Pick(string[] options) => options[Next(options.Length)];

    private void Line(string text) => _text.Append(text).Append('\n');

    private string Render()
    {
        _messy = Next(2) == 1;
        int layerCount = 2 + Next(6);
        for (int i = 0; i < layerCount; i++)
        {
            _names.Add(Chance(15) ? Pick(s_trickyNames) : "L" + i.ToString(CultureInfo.InvariantCulture));
        }

        Line("using ModelGen;");
        int namespaceKind = Next(4) switch { 0 or 1 => 0, 2 => 1, _ => 2 };
        if (namespaceKind == 0)
        {
            Line("namespace Fuzz;");
        }
        else if (namespaceKind == 2)
        {
            Line("namespace Fuzz.Block {");
        }

        bool withBase = Mistake(5);
        if (withBase)
        {
            Line("/// <summary>Base.</summary>");
            Line("public class NetBase { /// <summary>Clash.</summary>\n public void Predict() { } }");
        }

        string outer = Next(12) switch
        {
            8 => "public partial class Outer",
            9 => "public partial struct Outer",
            10 => "internal partial record Outer",
            11 => _messy ? "public class Outer" : "public static partial class Outer",
            _ => string.Empty,
        };
        if (outer.Length > 0)
        {
            Line("/// <summary>Outer.</summary>");
            Line(outer + " {");
        }

        WriteClassHeader(withBase);
        Line("{");
        for (int i = 0; i < layerCount; i++)
        {
            WriteLayer(i, layerCount);
        }

        WriteUserMembers();
        Line("}");
        if (outer.Length > 0)
        {
            Line("}");
        }

        if (namespaceKind == 2)
        {
            Line("}");
        }

        return Mutate(_text.ToString());
    }

    private void WriteClassHeader(bool withBase)
    {
        var arguments = new List<string>();
        if (Chance(30))
        {
            arguments.Add("Seed = " + (Next(5) == 4 ? "-7" : Next(1000).ToString(CultureInfo.InvariantCulture)));
        }

        if (Chance(25))
        {
            arguments.Add("MaxHeadsForAllSubsets = " + (Mistake(30) ? Pick(s_invalidLimits) : Pick(s_validLimits)));
        }

        Line("/// <summary>A fuzzed model.</summary>");
        Line(arguments.Count == 0 ? "[Model]" : "[Model(" + string.Join(", ", arguments) + ")]");

        // Subsets name layers by their planned names, so some name layers that end up without [Head].
        int subsets = Chance(20) ? 1 + Next(3) : 0;
        for (int s = 0; s < subsets; s++)
        {
            int count = Next(4);
            IEnumerable<string> heads = Enumerable.Range(0, count).Select(_ => Mistake(15) ? "\"Missing\"" : "nameof(" + _names[Next(_names.Count)] + ")");
            Line("[TrainSubset(" + string.Join(", ", heads) + ")]");
        }

        string modifiers = Next(12) switch
        {
            1 => "internal sealed partial class",
            2 => "partial class",
            3 => "public partial record",
            4 => _messy ? "public class" : "public partial class",
            5 => _messy ? "public static partial class" : "public sealed partial class",
            6 => "public abstract partial class",
            7 => "public sealed partial record",
            _ => "public partial class",
        };
        string name = Mistake(5) ? Pick(s_oddClassNames) : "Net";
        string generic = Chance(8) ? "<T>" : string.Empty;
        string baseList = withBase ? " : NetBase" : string.Empty;
        string primary = Mistake(3) ? "(int size)" : string.Empty;
        Line(modifiers + " " + name + generic + primary + baseList);
    }

    private void WriteLayer(int index, int layerCount)
    {
        string name = _names[index];
        bool last = index == layerCount - 1;

        // 0 input, 1 dense, 2 concatenate, 3 add, 4 no layer attribute, 5 dropout.
        int kind = index == 0
            ? (Mistake(10) ? 1 + Next(4) : 0)
            : Next(11) switch { 5 => 0, 6 => 2, 7 => 3, 9 when _messy => 4, 10 => 5, _ => 1 };
        if (last && kind is 0 or 4)
        {
            kind = 1;
        }

        var attributes = new List<string>();
        string type;
        switch (kind)
        {
            case 0:
                attributes.Add(InputAttribute());
                type = "InputLayer";
                break;
            case 1:
                attributes.Add(DenseAttribute(index));
                type = "DenseLayer";
                break;
            case 2:
            case 3:
                string attribute = kind == 2 ? "Concatenate" : "Add";
                attributes.Add(MergeAttribute(attribute, index));
                type = attribute + "Layer";
                if (Chance(15))
                {
                    // A stopped edge: in a clean source one of the sources, in a messy one maybe not.
                    string stopped = Mistake(30) ? _names[Next(_names.Count)] : _names[Math.Max(index - 1, 0)];
                    attributes.Add("[StopGradient(\"" + stopped.TrimStart('@') + "\")]");
                }

                break;
            case 5:
                string rate = Mistake(20) ? Pick(s_invalidRates) : Pick(s_validRates);
                string? from = SourceName(index);
                attributes.Add(from is null ? "[Dropout(" + rate + ")]" : "[Dropout(" + rate + ", From = " + from + ")]");
                type = "DropoutLayer";
                break;
            default:
                type = "DenseLayer";
                break;
        }

        if (Mistake(4))
        {
            attributes.Add(Next(2) == 0 ? InputAttribute() : DenseAttribute(index));
        }

        bool head = kind != 0 ? (last || Chance(30)) : Mistake(3);
        if (head)
        {
            attributes.Add(HeadAttribute());
        }

        if ((!head && kind != 0 && Chance(10)) || Mistake(2))
        {
            attributes.Add("[Output]");
        }

        if (Mistake(5))
        {
            type = Pick(s_oddTypes);
        }

        string declaration = Next(10) switch
        {
            1 => "internal partial " + type + " " + name + " { get; }",
            2 => "private partial " + type + " " + name + " { get; }",
            3 => "protected internal partial " + type + " " + name + " { get; }",
            _ => "public partial " + type + " " + name + " { get; }",
        };
        if (Mistake(20))
        {
            declaration = Next(5) switch
            {
                0 => "public " + type + " " + name + " { get; }",
                1 => "public static partial " + type + " " + name + " { get; }",
                2 => "public partial " + type + " " + name + " { get; set; }",
                3 => "public partial " + type + " " + name + " => null!;",
                _ => "public partial " + type + " " + name + " { get; init; }",
            };
        }

        Line("    /// <summary>A layer.</summary>");
        foreach (string attribute in attributes)
        {
            Line("    " + attribute);
        }

        Line("    " + declaration);
    }

    private string Size() => Mistake(15) ? Pick(s_oddSizes) : (1 + Next(4)).ToString(CultureInfo.InvariantCulture);

    private string InputAttribute()
    {
        if (Mistake(10))
        {
            return Next(3) switch
            {
                0 => "[Input]",
                1 => "[Input(\"4\")]",
                _ => "[Input(1.5)]",
            };
        }

        return "[Input(" + Size() + ")]";
    }

    private string DenseAttribute(int index)
    {
        var named = new List<string>();
        string? source = SourceName(index);
        if (source is not null)
        {
            named.Add("From = " + source);
        }

        if (Chance(50))
        {
            named.Add("Activation = " + (Mistake(5) ? "(Activation)9" : "Activation." + Pick(s_activations)));
        }

        if (Chance(10))
        {
            named.Add("NegativeSlope = " + (Mistake(30) ? "float.NaN" : "0.2f"));
        }

        if (Chance(10))
        {
            named.Add("Trainable = false");
        }

        string units = Size();
        if (Mistake(10))
        {
            return Next(5) switch
            {
                0 => named.Count == 0 ? "[Dense]" : "[Dense(" + string.Join(", ", named) + ")]",
                1 => "[Dense(" + string.Join(", ", named.Prepend("\"4\"")) + ")]",
                2 => "[Dense(" + string.Join(", ", named.Prepend(units).Append("From = 3")) + ")]",
                3 => "[Dense(" + string.Join(", ", named.Prepend(units).Append("Activation = Loss.MeanSquaredError")) + ")]",
                _ => "[Dense(" + string.Join(", ", named.Prepend(units).Append("Units = 3")) + ")]",
            };
        }

        return "[Dense(" + string.Join(", ", named.Prepend(units)) + ")]";
    }

    private string MergeAttribute(string attribute, int index)
    {
        int count = Mistake(15) ? s_oddSourceCounts[Next(s_oddSourceCounts.Length)] : 2;
        var sources = new List<string>();
        for (int i = 0; i < count; i++)
        {
            sources.Add(SourceName(index) ?? "\"\"");
        }

        if (Mistake(10))
        {
            return Next(3) switch
            {
                0 => "[" + attribute + "(null)]",
                1 => "[" + attribute + "(nameof(" + _names[0] + "), null)]",
                _ => "[" + attribute + "]",
            };
        }

        return Chance(10)
            ? "[" + attribute + "(new[] { " + string.Join(", ", sources) + " })]"
            : "[" + attribute + "(" + string.Join(", ", sources) + ")]";
    }

    /// <summary>A source expression: an earlier layer; in a messy source sometimes a later one (a cycle), an unknown name or none.</summary>
    private string? SourceName(int index)
    {
        string name = index == 0 ? _names[0] : _names[index - 1 - (Chance(30) ? Next(index) : 0)];
        if (Mistake(20))
        {
            name = Next(4) switch
            {
                0 => _names[Next(_names.Count)],
                1 => Pick(s_unknownNames),
                2 => _names[0].ToLowerInvariant(),
                _ => string.Empty,
            };
        }

        if (name.Length == 0)
        {
            return Next(2) == 0 ? null : "\"\"";
        }

        // nameof needs a member that exists, so unknown names are written as string literals.
        return _names.Contains(name) && !Chance(10) ? "nameof(" + name + ")" : "\"" + name.TrimStart('@') + "\"";
    }

    private string HeadAttribute()
    {
        if (Mistake(5))
        {
            return Next(3) switch
            {
                0 => "[Head]",
                1 => "[Head(Activation.Relu)]",
                _ => "[Head((Loss)7)]",
            };
        }

        string loss = "Loss." + (Next(12) switch { < 6 => s_losses[0], 6 => s_losses[1], 7 or 8 => s_losses[2], 9 => s_losses[3], 10 => s_losses[4], _ => s_losses[5] });
        var named = new List<string>();
        if (Chance(15))
        {
            named.Add("Weight = " + (Mistake(40) ? Pick(s_invalidWeights) : Pick(s_validWeights)));
        }

        if (loss == "Loss.Huber" && Chance(30))
        {
            named.Add("HuberDelta = " + (Mistake(30) ? "0" : "0.5f"));
        }

        return "[Head(" + string.Join(", ", named.Prepend(loss)) + ")]";
    }

    private void WriteUserMembers()
    {
        if (!Mistake(10))
        {
            return;
        }

        string member = Next(6) switch
        {
            0 => "public void Predict() { }",
            1 => "public Net() { }",
            2 => "private int __x;",
            3 => "public int TrainOnL1;",
            4 => "public Net(int seed) { _ = seed; }",
            _ => "public string Total => \"\";",
        };
        Line("    /// <summary>A user member.</summary>");
        Line("    " + member);
    }

    /// <summary>Breaks the syntax of a messy source now and then: truncates, deletes a span or inserts a stray token.</summary>
    private string Mutate(string source)
    {
        if (!Mistake(20))
        {
            return source;
        }

        int position = Next(source.Length);
        return Next(3) switch
        {
            0 => source.Substring(0, position),
            1 => source.Remove(position, Math.Min(1 + Next(12), source.Length - position)),
            _ => source.Insert(position, s_tokens[Next(s_tokens.Length)]),
        };
    }
}
