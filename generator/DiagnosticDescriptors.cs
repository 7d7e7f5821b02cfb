using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ModelGen.Generator;

/// <summary>
/// Diagnostics of the model generator, IDs MG0001 to MG0999. Each has a section in docs/diagnostics.md; keep
/// the two in step.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "ModelGen.Generator";
    // NOTE: relative to the repository root, because the project has no published documentation site yet.
    private const string HelpLinkBase = "docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor ModelNotPartial = Error(
        "MG0001",
        "Model class must be partial",
        "Model class '{0}' must be declared 'partial' (and so must every type that contains it) so that ModelGen can add the generated members");

    public static readonly DiagnosticDescriptor PropertyNotPartial = Error(
        "MG0002",
        "Layer property must be partial",
        "Property '{0}' has a layer attribute but is not 'partial'; declare it as 'public partial {1} {0} {{ get; }}'");

    public static readonly DiagnosticDescriptor UnknownSource = Error(
        "MG0003",
        "Unknown layer name",
        "Layer '{0}' reads from '{1}', which is not an input or layer of '{2}'{3}");

    public static readonly DiagnosticDescriptor Cycle = Error(
        "MG0004",
        "Layers form a cycle",
        "Layers form a cycle: {0}; a network must be acyclic");

    public static readonly DiagnosticDescriptor NoInput = Error(
        "MG0005",
        "Model has no input",
        "Model '{0}' declares no [Input] property; add one, e.g. '[Input(8)] public partial InputLayer X {{ get; }}'");

    public static readonly DiagnosticDescriptor NoHead = Error(
        "MG0006",
        "Model has no head",
        "Model '{0}' declares no [Head]; mark at least one layer with [Head(Loss....)] so that it can be trained");

    public static readonly DiagnosticDescriptor NonPositiveSize = Error(
        "MG0007",
        "Size must be positive",
        "{0} of '{1}' is {2}; it must be at least 1");

    public static readonly DiagnosticDescriptor MissingSource = Error(
        "MG0008",
        "Layer has no source",
        "Layer '{0}' does not say what it reads; set 'From = nameof(...)' to an input or layer");

    public static readonly DiagnosticDescriptor HeadOnInput = Error(
        "MG0009",
        "Head must be a layer with outputs to train",
        "'{0}' is an input, so it cannot be a head; put [Head] on a [Dense] layer");

    public static readonly DiagnosticDescriptor WrongPropertyType = Error(
        "MG0010",
        "Property type does not match its attribute",
        "Property '{0}' has [{1}], so its type must be '{2}', not '{3}'");

    public static readonly DiagnosticDescriptor ConflictingAttributes = Error(
        "MG0011",
        "Property has more than one layer attribute",
        "Property '{0}' has both [{1}] and [{2}]; keep one layer attribute per property");

    public static readonly DiagnosticDescriptor AddSizeMismatch = Error(
        "MG0012",
        "Added layers differ in size",
        "[Add] layer '{0}' sums '{1}' ({2} values) and '{3}' ({4} values); every summed layer must have the same size");

    public static readonly DiagnosticDescriptor TooFewSources = Error(
        "MG0013",
        "Merge layer needs two sources",
        "[{0}] layer '{1}' lists {2} source(s); list at least two");

    public static readonly DiagnosticDescriptor CrossEntropyOnOneUnit = Error(
        "MG0014",
        "Sparse categorical cross-entropy needs two or more classes",
        "Head '{0}' uses SparseCategoricalCrossEntropy on {1} unit(s); use one unit per class (at least 2), or BinaryCrossEntropy with a sigmoid for two classes");

    public static readonly DiagnosticDescriptor UnusedLayer = Warning(
        "MG0015",
        "Layer reaches no head",
        "'{0}' is not read by any head, so no training method updates it and Predict does not compute it");

    public static readonly DiagnosticDescriptor HeadWithoutLayer = Error(
        "MG0016",
        "Head needs a layer attribute",
        "Property '{0}' has [Head] but no layer attribute; add [Dense(...)] to it");

    public static readonly DiagnosticDescriptor MemberNameCollision = Error(
        "MG0017",
        "Member name is reserved by the generator",
        "'{0}' already declares a member named '{1}', which ModelGen generates; rename the member or the layer");

    public static readonly DiagnosticDescriptor InvalidHeadWeight = Error(
        "MG0018",
        "Head weight must be finite and non-negative",
        "Head '{0}' has Weight = {1}; use a finite value >= 0");

    public static readonly DiagnosticDescriptor StaticProperty = Error(
        "MG0019",
        "Layer property must be an instance property",
        "Property '{0}' is static; layers belong to a model instance, so remove 'static'");

    public static readonly DiagnosticDescriptor StopGradientNotSource = Error(
        "MG0050",
        "Stop-gradient names a layer that is not a source",
        "[StopGradient(\"{1}\")] on '{0}' names a layer that '{0}' does not read; name one of its sources: {2}");

    public static readonly DiagnosticDescriptor OutputOnHead = Error(
        "MG0051",
        "Layer is both a head and an output-only layer",
        "'{0}' has both [Head] and [Output]; a head is already returned by Predict, so remove [Output] (or [Head] to stop training it)");

    public static readonly DiagnosticDescriptor InvalidDropoutRate = Error(
        "MG0052",
        "Dropout rate must be in [0, 1)",
        "Dropout layer '{0}' has rate {1}; use a value from 0 (keep everything) up to, but not including, 1");

    public static readonly DiagnosticDescriptor InvalidHuberDelta = Error(
        "MG0053",
        "Huber delta must be positive",
        "Head '{0}' has HuberDelta = {1}; use a finite value > 0");

    public static readonly DiagnosticDescriptor InvalidNegativeSlope = Error(
        "MG0054",
        "Negative slope must be finite",
        "Layer '{0}' has NegativeSlope = {1}; use a finite value");

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = typeof(DiagnosticDescriptors)
        .GetFields()
        .Select(f => f.GetValue(null))
        .OfType<DiagnosticDescriptor>()
        .ToDictionary(d => d.Id);

    public static DiagnosticDescriptor? ById(string id) => s_byId.TryGetValue(id, out DiagnosticDescriptor? d) ? d : null;

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());
}
