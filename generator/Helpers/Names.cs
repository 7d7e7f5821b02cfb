using Microsoft.CodeAnalysis.CSharp;

namespace ModelGen.Generator.Helpers;

/// <summary>Identifier spellings used in generated code.</summary>
internal static class Names
{
    /// <summary>Returns <paramref name="name"/> with an <c>@</c> prefix when it is a C# keyword.</summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>Returns the camelCase form of a property name, e.g. <c>Output1</c> to <c>output1</c>.</summary>
    public static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

    /// <summary>Returns the method parameter name for an input or head, escaped where needed.</summary>
    public static string Parameter(string name) => Escape(Camel(name));

    /// <summary>Returns the private field prefix for a layer; the double underscore keeps it apart from user members.</summary>
    public static string Field(string name) => "__" + Camel(name);
}
