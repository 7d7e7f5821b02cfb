using System;

namespace ModelGen;

/// <summary>
/// Declares a layer, on a <c>partial</c> property of type <see cref="AddLayer"/>, that sums the outputs of
/// layers of equal size element-wise (for residual connections). It has no parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class AddAttribute : Attribute
{
    /// <summary>Declares a sum of the named layers, written as <c>nameof(Property)</c>.</summary>
    /// <param name="from">Two or more names of layers or inputs with the same size.</param>
    public AddAttribute(params string[] from) => From = from;

    /// <summary>Names of the summed layers.</summary>
    public string[] From { get; }
}
