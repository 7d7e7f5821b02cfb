using ModelGen.Generator.Helpers;

namespace ModelGen.Generator.Model;

/// <summary>Kind of node a property declares. Values match nothing in the runtime; they are the generator's own.</summary>
internal enum LayerKind
{
    Input,
    Dense,
    Concatenate,
    Add,
    Dropout,
}

/// <summary>Mirror of <c>ModelGen.Activation</c>; the numeric values must stay equal to the runtime enum's.</summary>
internal enum ActivationKind
{
    Linear = 0,
    Relu = 1,
    Sigmoid = 2,
    Tanh = 3,
    Softmax = 4,
    LeakyRelu = 5,
    Gelu = 6,
    Softplus = 7,
}

/// <summary>Mirror of <c>ModelGen.Loss</c>; the numeric values must stay equal to the runtime enum's.</summary>
internal enum LossKind
{
    MeanSquaredError = 0,
    MeanAbsoluteError = 1,
    BinaryCrossEntropy = 2,
    SparseCategoricalCrossEntropy = 3,
    Huber = 4,
    CategoricalCrossEntropy = 5,
}

/// <summary>A type that contains the model class, written back as <c>partial {Keyword} {Name}</c>.</summary>
/// <param name="Keyword">The type's keyword: <c>class</c>, <c>struct</c>, <c>record</c> or <c>record struct</c>.</param>
/// <param name="Name">The name with its type parameter list, as declared.</param>
internal sealed record ContainingTypeSpec(string Keyword, string Name);

/// <summary>The loss and weight of a head, and the Huber threshold where the loss uses one.</summary>
internal sealed record HeadSpec(LossKind Loss, float Weight, float HuberDelta);

/// <summary>One <c>partial</c> property of the model class that declares an input or layer.</summary>
/// <param name="Name">Property name, without an <c>@</c> prefix.</param>
/// <param name="Kind">Input, dense, concatenate or add.</param>
/// <param name="Size">Values per sample (features of an input, units of a dense layer, derived for the others).</param>
/// <param name="Activation">Activation of a dense layer; <see cref="ActivationKind.Linear"/> for the others.</param>
/// <param name="Sources">Names of the nodes this one reads, in order; empty for inputs.</param>
/// <param name="Head">The head declared on this layer, or <see langword="null"/>.</param>
/// <param name="Accessibility">Declared accessibility keywords of the property, e.g. <c>public</c>.</param>
internal sealed record LayerSpec(
    string Name,
    LayerKind Kind,
    int Size,
    ActivationKind Activation,
    EquatableArray<string> Sources,
    HeadSpec? Head,
    string Accessibility)
{
    /// <summary>Whether training updates the layer at first (<c>Trainable</c> of <c>[Dense]</c>).</summary>
    public bool Trainable { get; init; } = true;

    /// <summary>Slope of a leaky ReLU for negative inputs.</summary>
    public float NegativeSlope { get; init; } = 0.01f;

    /// <summary>Sources whose edge into this layer carries no gradient (<c>[StopGradient]</c>).</summary>
    public EquatableArray<string> StoppedSources { get; init; } = EquatableArray<string>.Empty;

    /// <summary>Whether <c>Predict</c> returns the layer although it has no loss (<c>[Output]</c>).</summary>
    public bool IsOutput { get; init; }

    /// <summary>Probability of zeroing a value in a dropout layer.</summary>
    public double DropoutRate { get; init; }
}

/// <summary>Where a generated partial class goes: its namespace, enclosing types and name.</summary>
/// <param name="Namespace">Namespace of the class, or <see langword="null"/> for the global namespace.</param>
/// <param name="ContainingTypes">Enclosing types, outermost first.</param>
/// <param name="ClassName">Name of the class with its type parameter list.</param>
/// <param name="TypeKeyword">Keyword of the declaration: <c>class</c> or <c>record</c>.</param>
/// <param name="HintName">Unique file name stem for the generated source.</param>
internal sealed record TypeShellSpec(
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string ClassName,
    string TypeKeyword,
    string HintName);

/// <summary>Everything the emitter needs to write one model class.</summary>
/// <param name="Shell">Namespace, enclosing types and name of the class.</param>
/// <param name="Seed">Seed from <c>[Model(Seed = …)]</c>.</param>
/// <param name="Layers">Declared nodes in declaration order.</param>
internal sealed record ModelSpec(TypeShellSpec Shell, int Seed, EquatableArray<LayerSpec> Layers);

/// <summary>A partial layer property of an invalid model, implemented with a throwing getter so that the
/// compiler reports only the ModelGen diagnostics, not a missing implementation part as well.</summary>
/// <param name="Name">Property name.</param>
/// <param name="Modifiers">Declared modifiers without <c>partial</c>.</param>
/// <param name="TypeName">Fully qualified property type.</param>
internal sealed record PropertyStubSpec(string Name, string Modifiers, string TypeName);

/// <summary>A parse result: the model when it is valid (else stubs for its properties), and every diagnostic found.</summary>
internal sealed record ModelParseResult(
    ModelSpec? Model,
    EquatableArray<DiagnosticInfo> Diagnostics,
    TypeShellSpec? Shell,
    EquatableArray<PropertyStubSpec> Stubs);
