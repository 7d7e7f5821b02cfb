using System;
using System.ComponentModel;

namespace ModelGen;

/// <summary>
/// Marks a generated training method with the heads it trains, so that analyzers and tools can map its
/// arguments to heads. Emitted by the generator; not meant to be written by hand.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TrainingMethodAttribute : Attribute
{
    /// <summary>Marks a method that trains <paramref name="heads"/>.</summary>
    /// <param name="heads">Names of the trained heads, in declaration order.</param>
    public TrainingMethodAttribute(params string[] heads) => Heads = heads;

    /// <summary>Names of the trained heads, in declaration order.</summary>
    public string[] Heads { get; }
}

/// <summary>
/// Marks a parameter of a generated method as the target of one head. Emitted by the generator; not meant to
/// be written by hand.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class HeadTargetAttribute : Attribute
{
    /// <summary>Marks the target of <paramref name="head"/>.</summary>
    /// <param name="head">Name of the head.</param>
    public HeadTargetAttribute(string head) => Head = head;

    /// <summary>Name of the head.</summary>
    public string Head { get; }
}

/// <summary>
/// Marks a parameter of a generated method as the values of one network input. Emitted by the generator;
/// not meant to be written by hand.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class InputValuesAttribute : Attribute
{
    /// <summary>Marks the values of input <paramref name="input"/>.</summary>
    /// <param name="input">Name of the input.</param>
    public InputValuesAttribute(string input) => Input = input;

    /// <summary>Name of the input.</summary>
    public string Input { get; }
}
