using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ModelGen.Generator.Helpers;

/// <summary>
/// A source location stored as plain values, so that it can travel through the incremental pipeline
/// without holding a syntax tree alive.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, TextSpan, LineSpan);

    /// <summary>
    /// Returns the location in the syntax tree of <paramref name="compilation"/> with this file path, so that
    /// '#pragma warning disable' applies to it; a location made from the file path alone bypasses pragmas.
    /// Falls back to <see cref="ToLocation()"/> when no tree matches.
    /// </summary>
    public Location ToLocation(Compilation compilation)
    {
        SyntaxTree? tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == FilePath);
        return tree is not null && TextSpan.End <= tree.Length ? Location.Create(tree, TextSpan) : ToLocation();
    }

    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null)
        {
            return null;
        }

        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }

    public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());
}

/// <summary>A diagnostic stored as its descriptor id, location and message arguments.</summary>
internal sealed record DiagnosticInfo(string DescriptorId, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object?[] arguments) =>
        new(descriptor.Id, location, arguments.Select(a => a?.ToString() ?? string.Empty).ToEquatableArray());

    public Diagnostic ToDiagnostic(Compilation compilation)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.ById(DescriptorId)
            ?? throw new InvalidOperationException($"Unknown diagnostic id {DescriptorId}.");
        return Diagnostic.Create(descriptor, Location?.ToLocation(compilation) ?? Microsoft.CodeAnalysis.Location.None, Arguments.Cast<object>().ToArray());
    }
}
