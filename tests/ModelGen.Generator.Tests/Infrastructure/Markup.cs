using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;

namespace ModelGen.Generator.Tests.Infrastructure;

/// <summary>A span of source text where a test expects a diagnostic with ID <paramref name="Id"/>.</summary>
internal sealed record MarkedSpan(string Id, int Start, int Length);

/// <summary>
/// Reads test sources with expected diagnostic spans written as <c>{|MG0003:text|}</c>: the markers are
/// removed and each span is returned in the order it appears.
/// </summary>
internal static class Markup
{
    public static (string Source, ImmutableArray<MarkedSpan> Spans) Parse(string markup)
    {
        var source = new StringBuilder(markup.Length);
        var spans = new List<MarkedSpan>();
        int i = 0;
        while (i < markup.Length)
        {
            int open = markup.IndexOf("{|", i, StringComparison.Ordinal);
            if (open < 0)
            {
                source.Append(markup, i, markup.Length - i);
                break;
            }

            source.Append(markup, i, open - i);
            int colon = markup.IndexOf(':', open);
            int close = markup.IndexOf("|}", open, StringComparison.Ordinal);
            if (colon < 0 || close < 0 || colon > close)
            {
                throw new FormatException($"Unterminated marker at offset {open}; write {{|ID:text|}}.");
            }

            string text = markup.Substring(colon + 1, close - colon - 1);
            spans.Add(new MarkedSpan(markup.Substring(open + 2, colon - open - 2), source.Length, text.Length));
            source.Append(text);
            i = close + 2;
        }

        return (source.ToString(), spans.ToImmutableArray());
    }
}
