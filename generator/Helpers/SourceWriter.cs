using System;
using System.Text;

namespace ModelGen.Generator.Helpers;

/// <summary>Builds C# source with a tracked indentation level, four spaces per level and '\n' line ends.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indentation;

    public void WriteLine(string line = "")
    {
        if (line.Length > 0)
        {
            _builder.Append(' ', _indentation * 4);
            _builder.Append(line);
        }

        _builder.Append('\n');
    }

    /// <summary>Writes <paramref name="line"/> followed by an opening brace, and indents what follows.</summary>
    public void OpenBlock(string line)
    {
        WriteLine(line);
        WriteLine("{");
        _indentation++;
    }

    public void CloseBlock(string suffix = "")
    {
        if (_indentation == 0)
        {
            throw new InvalidOperationException("CloseBlock without a matching OpenBlock.");
        }

        _indentation--;
        WriteLine("}" + suffix);
    }

    /// <summary>Writes a <c>///</c> comment block, one line per element of <paramref name="lines"/>.</summary>
    public void WriteDocComment(params string[] lines)
    {
        foreach (string line in lines)
        {
            WriteLine("/// " + line);
        }
    }

    public void Indent() => _indentation++;

    public void Unindent()
    {
        if (_indentation == 0)
        {
            throw new InvalidOperationException("Unindent below level 0.");
        }

        _indentation--;
    }

    public override string ToString() => _builder.ToString();
}
