using System;

namespace ModelGen;

/// <summary>
/// Declares a layer, on a <c>partial</c> property of type <see cref="ConcatenateLayer"/>, that joins the
/// outputs of several layers or inputs per sample, in the order given. It has no parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class ConcatenateAttribute : Attribute
{
    /// <summary>Declares a concatenation of the named layers, written as <c>nameof(Property)</c>.</summary>
    /// <param name="from">Two or more layer or input names.</param>
    public ConcatenateAttribute(params string[] from) => From = from;

    /// <summary>Names of the concatenated layers, in order.</summary>
    public string[] From { get; }
}
