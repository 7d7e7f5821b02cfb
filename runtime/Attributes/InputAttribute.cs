using System;

namespace ModelGen;

/// <summary>
/// Declares an input of the network on a <c>partial</c> property of type <see cref="InputLayer"/>. Each
/// input becomes a <c>ReadOnlySpan&lt;float&gt;</c> parameter of the generated methods that need it,
/// holding batch × <see cref="Size"/> values in row-major order.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Declares an input of <paramref name="size"/> features per sample.</summary>
    /// <param name="size">Number of features per sample; must be positive.</param>
    public InputAttribute(int size) => Size = size;

    /// <summary>Number of features per sample.</summary>
    public int Size { get; }
}
