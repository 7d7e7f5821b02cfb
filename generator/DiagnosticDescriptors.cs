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
        "Model class '{0}' must be declared 'partial' so that ModelGen can add the generated members");

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
        "Layer '{0}' does not say what it reads; {1}");

    public static readonly DiagnosticDescriptor HeadOnInput = Error(
        "MG0009",
        "Head must be a layer with outputs to train",
        "'{0}' {1}, so it cannot be a head; put [Head] on a [Dense] layer or on a layer that reads one");

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
        "Categorical cross-entropy needs two or more classes",
        "Head '{0}' uses {1} on {2} unit(s); use one unit per class (at least 2), or BinaryCrossEntropy with a sigmoid for two classes");

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
        "{0} already declares a member named '{1}', which ModelGen generates; rename the member or the layer");

    public static readonly DiagnosticDescriptor InvalidHeadWeight = Error(
        "MG0018",
        "Head weight must be finite and non-negative",
        "Head '{0}' has Weight = {1}; use a finite value >= 0");

    public static readonly DiagnosticDescriptor InvalidLayerProperty = Error(
        "MG0019",
        "Layer property must be a get-only instance property",
        "Property '{0}' {1}, but a layer must be a get-only instance property such as 'public partial {2} {0} {{ get; }}'");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(
        "MG0020",
        "Type containing a model must be partial",
        "Model class '{0}' is nested in '{1}', which is not 'partial'; declare '{1}' as 'partial' so that ModelGen can add the generated members");

    public static readonly DiagnosticDescriptor LossNeedsProbabilities = Warning(
        "MG0021",
        "Loss needs probabilities",
        "Head '{0}' uses BinaryCrossEntropy on a {1} layer, but the loss reads outputs as probabilities in [0, 1] and {1} outputs are not, so they would be clamped and stop learning; use 'Activation = Activation.Sigmoid' (the loss is then computed from the logits)");

    public static readonly DiagnosticDescriptor LossActivationMismatch = Warning(
        "MG0022",
        "Loss and activation work poorly together",
        "Head '{0}' uses {1} on a {2} layer: {3}");

    public static readonly DiagnosticDescriptor SoftmaxOnOneUnit = Warning(
        "MG0023",
        "Softmax on a single unit",
        "Layer '{0}' applies Softmax to 1 unit, so it always outputs 1 and learns nothing; use Sigmoid for one probability, or 2 or more units for a distribution");

    public static readonly DiagnosticDescriptor GeneratedNameClash = Error(
        "MG0024",
        "Name clashes with a generated name",
        "{0}; rename the {1}");

    public static readonly DiagnosticDescriptor DuplicateSource = Warning(
        "MG0025",
        "Source listed more than once",
        "[{0}] layer '{1}' lists '{2}' {3} times, so {4}; list each source once unless that is intended");

    public static readonly DiagnosticDescriptor SubsetLimitExceeded = Info(
        "MG0026",
        "Not every subset of heads gets a training method",
        "Model '{0}' has {1} heads, more than MaxHeadsForAllSubsets ({2}), so ModelGen generates {3} and one method per head, not all {4} subsets; request others with [TrainSubset(nameof(...), nameof(...))] or raise MaxHeadsForAllSubsets");

    public static readonly DiagnosticDescriptor InvalidSubsetLimit = Error(
        "MG0027",
        "MaxHeadsForAllSubsets is out of range",
        "MaxHeadsForAllSubsets of '{0}' is {1}; use a value from 1 to {2} (n heads give 2^n - 1 training methods), and [TrainSubset] for further subsets");

    public static readonly DiagnosticDescriptor UnknownSubsetHead = Error(
        "MG0028",
        "Unknown head in TrainSubset",
        "[TrainSubset] names '{0}', which is not a head of '{1}'{2}");

    public static readonly DiagnosticDescriptor SubsetTooSmall = Error(
        "MG0029",
        "TrainSubset needs two or more heads",
        "[TrainSubset] lists {0} head(s); list at least two, because a method for each single head is always generated");

    public static readonly DiagnosticDescriptor SubsetRepeatsHead = Error(
        "MG0030",
        "TrainSubset lists a head twice",
        "[TrainSubset] lists head '{0}' more than once; list each head once");

    public static readonly DiagnosticDescriptor SubsetAlreadyGenerated = Warning(
        "MG0031",
        "Training method is generated already",
        "[TrainSubset] requests '{0}', which {1}; remove this attribute");

    public static readonly DiagnosticDescriptor UndefinedEnumValue = Error(
        "MG0032",
        "Undefined enum value",
        "{0} of '{1}' is ({2}){3}, which is not a defined {2} value; use one of {4}");

    public static readonly DiagnosticDescriptor LayerTooLarge = Error(
        "MG0033",
        "Layer is too large",
        "Layer '{0}' needs {1} values {2}, more than the {3} that one .NET array can hold; use fewer units or inputs");

    public static readonly DiagnosticDescriptor UnsupportedModelClass = Error(
        "MG0034",
        "Model class cannot be extended",
        "Model class '{0}' {1}");

    public static readonly DiagnosticDescriptor PropertyAlreadyImplemented = Error(
        "MG0035",
        "Layer property is implemented by hand",
        "Property '{0}' already has an implementation part, but ModelGen generates it; remove the implementation and keep only the declaration '{1} partial {2} {0} {{ get; }}'");

    public static readonly DiagnosticDescriptor MissingLayerAttribute = Error(
        "MG0036",
        "Layer property has no layer attribute",
        "Partial property '{0}' has type '{1}' but no layer attribute, so nothing implements it; add {2}, or remove 'partial'");

    public static readonly DiagnosticDescriptor TooManyHeads = Error(
        "MG0037",
        "Model has too many heads",
        "Model '{0}' has {1} heads, but the generated training loop selects heads by the bits of an int, so a model can have at most {2}; merge heads into wider layers or split the model");

    public static readonly DiagnosticDescriptor InternalError = Error(
        "MG0999",
        "ModelGen failed",
        "ModelGen could not {0} '{1}' because of an internal error ({2}: {3}); the model is left without generated code. Please report this with the model's source.");

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

    /// <summary>Every descriptor, keyed by ID.</summary>
    public static IReadOnlyDictionary<string, DiagnosticDescriptor> All => s_byId;

    public static DiagnosticDescriptor? ById(string id) => s_byId.TryGetValue(id, out DiagnosticDescriptor? d) ? d : null;

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());

    private static DiagnosticDescriptor Info(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());
}
