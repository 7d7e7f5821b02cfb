using Microsoft.CodeAnalysis;

namespace ModelGen.Analyzers;

/// <summary>
/// Diagnostics of the usage analyzers, IDs MG1001 to MG1999 (MG0001 to MG0999 belong to the generator). Each has a
/// section in docs/diagnostics.md; keep the two in step.
/// </summary>
internal static class UsageDescriptors
{
    private const string Category = "ModelGen.Usage";

    // NOTE: relative to the repository root, because the project has no published documentation site yet.
    private const string HelpLinkBase = "docs/diagnostics.md#";

    /// <summary>MG1001: a training target that is certainly null or <c>default</c>.</summary>
    public static readonly DiagnosticDescriptor NullTarget = Create(
        "MG1001",
        DiagnosticSeverity.Error,
        "Training target is null",
        "Target '{0}' of {1} is null; {2}",
        "A null array converts silently to an empty ReadOnlySpan<float>, so the call compiles but throws at run time. " +
        "To train only some heads, call the generated method for those heads.");

    /// <summary>MG1002: a training target, of a training method or a Dataset constructor, that certainly contains NaN.</summary>
    public static readonly DiagnosticDescriptor NaNTarget = Create(
        "MG1002",
        DiagnosticSeverity.Error,
        "Training target contains NaN",
        "Target '{0}' of {1} {2}, and NaN makes the loss NaN; {3}",
        "NaN in a target makes the loss and every gradient NaN, so the training methods and the Dataset constructor " +
        "reject it. When no sample has a label for a head, call the generated method without the head or leave the " +
        "head's Dataset targets null; otherwise give unlabelled samples weight 0.");

    /// <summary>
    /// MG1003: a training target, of a training method or a Dataset constructor, written from a NaN value earlier in
    /// the same method.
    /// </summary>
    public static readonly DiagnosticDescriptor PossiblyNaNTarget = Create(
        "MG1003",
        DiagnosticSeverity.Warning,
        "Training target may contain NaN",
        "Target '{0}' of {1} may contain NaN because this method writes NaN into it, and NaN makes the loss NaN; {2}",
        "The target receives a NaN value earlier in the same method and is not checked or replaced before the call.");

    /// <summary>MG1004: an input that is certainly null.</summary>
    public static readonly DiagnosticDescriptor NullInput = Create(
        "MG1004",
        DiagnosticSeverity.Error,
        "Input values are null",
        "Input '{0}' of {1} is null; pass the values of input '{2}', one row per sample",
        "A null array converts silently to an empty ReadOnlySpan<float>, and a Dataset constructor rejects it, so the call compiles but throws at run time.");

    private static DiagnosticDescriptor Create(string id, DiagnosticSeverity severity, string title, string message, string description) =>
        new(
            id,
            title,
            message,
            Category,
            severity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpLinkBase + id.ToLowerInvariant());
}
