using System.Linq;
using ModelGen.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelGen.Generator.Tests;

/// <summary>
/// One test per parser diagnostic: the exact ID, line and column span (marked <c>{|ID:text|}</c> in the
/// source) and message. Each source is otherwise a valid model, so the diagnostic is the only one.
/// </summary>
public class DiagnosticTests
{
    private const string X = "    [Input(4)] public partial InputLayer X { get; }\n";
    private const string Out = "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer Out { get; }\n";

    private static string Net(string members, string header = "[Model]\npublic partial class Net") =>
        "using ModelGen;\nnamespace Demo;\n" + header + "\n{\n" + members + "}\n";

    // ---- Class and property shape ------------------------------------------------------------------

    [Fact]
    public void ModelClassNotPartial_MG0001()
    {
        DiagnosticAssert.Verify(
            Net(X + Out, "[Model]\npublic class {|MG0001:Net|}"),
            new Expected("MG0001", "Model class 'Net' must be declared 'partial' so that ModelGen can add the generated members"));
    }

    [Fact]
    public void PropertyNotPartial_MG0002()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Dense(2, From = nameof(X))] public DenseLayer {|MG0002:Extra|} { get; } = null!;\n"),
            new Expected("MG0002", "Property 'Extra' has a layer attribute but is not 'partial'; declare it as 'public partial DenseLayer Extra { get; }'"));
    }

    [Fact]
    public void WrongPropertyType_MG0010()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial {|MG0010:InputLayer|} Out { get; }\n"),
            new Expected("MG0010", "Property 'Out' has [Dense], so its type must be 'DenseLayer', not 'ModelGen.InputLayer'"));
    }

    [Fact]
    public void NullableLayerType_MG0010()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial {|MG0010:DenseLayer?|} Out { get; }\n"),
            new Expected("MG0010", "Property 'Out' has [Dense], so its type must be 'DenseLayer', not 'ModelGen.DenseLayer?'"));
    }

    [Fact]
    public void TwoLayerAttributes_MG0011()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Dense(2, From = nameof(X))][{|MG0011:Input(3)|}] public partial DenseLayer Both { get; }\n"),
            new Expected("MG0011", "Property 'Both' has both [Dense] and [Input]; keep one layer attribute per property"));
    }

    [Fact]
    public void HeadWithoutLayerAttribute_MG0016()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [{|MG0016:Head(Loss.MeanSquaredError)|}] public DenseLayer? Loose { get; }\n"),
            new Expected("MG0016", "Property 'Loose' has [Head] but no layer attribute; add [Dense(...)] to it"));
    }

    [Fact]
    public void PartialLayerWithoutAttribute_MG0036()
    {
        GeneratorRun run = DiagnosticAssert.Verify(
            Net(X + Out + "    public partial DenseLayer {|MG0036:Forgotten|} { get; }\n"),
            new Expected("MG0036", "Partial property 'Forgotten' has type 'DenseLayer' but no layer attribute, so nothing implements it; add [Dense(units, From = nameof(...))], or remove 'partial'"));

        Assert.DoesNotContain(run.OutputDiagnostics, d => d.Id == "CS9248");
    }

    [Fact]
    public void StaticLayerProperty_MG0019()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Dense(2, From = nameof(X))] public static partial DenseLayer {|MG0019:Shared|} { get; }\n"),
            new Expected("MG0019", "Property 'Shared' is static, but a layer must be a get-only instance property such as 'public partial DenseLayer Shared { get; }'"));
    }

    [Fact]
    public void LayerPropertyWithSetter_MG0019()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Dense(2, From = nameof(X))] public partial DenseLayer {|MG0019:Settable|} { get; set; }\n"),
            new Expected("MG0019", "Property 'Settable' has a 'set' accessor, but a layer must be a get-only instance property such as 'public partial DenseLayer Settable { get; }'"));
    }

    [Fact]
    public void NonPartialContainingType_MG0020()
    {
        string source = "using ModelGen;\nnamespace Demo;\npublic class {|MG0020:Outer|}\n{\n    [Model]\n    public partial class Net\n    {\n" + X + Out + "    }\n}\n";
        DiagnosticAssert.Verify(
            source,
            new Expected("MG0020", "Model class 'Net' is nested in 'Outer', which is not 'partial'; declare 'Outer' as 'partial' so that ModelGen can add the generated members"));
    }

    [Fact]
    public void StaticModelClass_MG0034()
    {
        DiagnosticAssert.Verify(
            Net(string.Empty, "[Model]\npublic static partial class {|MG0034:Net|}"),
            new Expected("MG0034", "Model class 'Net' is static, but a model holds its layers in instance fields; remove 'static'"));
    }

    [Fact]
    public void PrimaryConstructor_MG0034()
    {
        DiagnosticAssert.Verify(
            Net(X + Out, "[Model]\npublic partial class Net{|MG0034:(int size)|}"),
            new Expected("MG0034", "Model class 'Net' has a primary constructor, which the generated constructors would have to call; declare a regular constructor instead"));
    }

    [Fact]
    public void PropertyWithBody_MG0035()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Dense(2, From = nameof(X))] public partial DenseLayer {|MG0035:Mine|} => null!;\n"),
            new Expected("MG0035", "Property 'Mine' already has an implementation part, but ModelGen generates it; remove the implementation and keep only the declaration 'public partial DenseLayer Mine { get; }'"));
    }

    // ---- Names and graph ---------------------------------------------------------------------------

    [Fact]
    public void UnknownSource_MG0003()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(4, From = nameof(X))] public partial DenseLayer Hidden { get; }\n"
                + "    [Dense(1, From = {|MG0003:\"Hiden\"|})][Head(Loss.MeanSquaredError)] public partial DenseLayer Out { get; }\n"),
            new Expected("MG0003", "Layer 'Out' reads from 'Hiden', which is not an input or layer of 'Net'; did you mean 'Hidden'?"));
    }

    [Fact]
    public void UnknownMergeSource_MG0003()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Concatenate(nameof(X), {|MG0003:\"Unrelated\"|})] public partial ConcatenateLayer Both { get; }\n"
                + "    [Dense(1, From = nameof(Both))][Head(Loss.MeanSquaredError)] public partial DenseLayer Out { get; }\n"),
            new Expected("MG0003", "Layer 'Both' reads from 'Unrelated', which is not an input or layer of 'Net'"));
    }

    [Fact]
    public void Cycle_MG0004()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(4, From = {|MG0004:nameof(B)|})] public partial DenseLayer A { get; }\n"
                + "    [Dense(4, From = nameof(A))] public partial DenseLayer B { get; }\n"
                + "    [Dense(1, From = nameof(B))][Head(Loss.MeanSquaredError)] public partial DenseLayer Out { get; }\n"),
            new Expected("MG0004", "Layers form a cycle: A -> B -> A; a network must be acyclic"));
    }

    [Fact]
    public void SelfCycle_MG0004()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Add(nameof(X), {|MG0004:nameof(Loop)|})] public partial AddLayer Loop { get; }\n"),
            new Expected("MG0004", "Layers form a cycle: Loop -> Loop; a network must be acyclic"));
    }

    [Fact]
    public void NoInput_MG0005()
    {
        DiagnosticAssert.Verify(
            Net("    [Dense(1, From = {|MG0003:\"X\"|})][Head(Loss.MeanSquaredError)] public partial DenseLayer Out { get; }\n", "[Model]\npublic partial class {|MG0005:Net|}"),
            new Expected("MG0005", "Model 'Net' declares no [Input] property; add one, e.g. '[Input(8)] public partial InputLayer X { get; }'"),
            new Expected("MG0003", "Layer 'Out' reads from 'X', which is not an input or layer of 'Net'"));
    }

    [Fact]
    public void NoHead_MG0006()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(1, From = nameof(X))] public partial DenseLayer Out { get; }\n", "[Model]\npublic partial class {|MG0006:Net|}"),
            new Expected("MG0006", "Model 'Net' declares no [Head]; mark at least one layer with [Head(Loss....)] so that it can be trained"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void NonPositiveUnits_MG0007(string units)
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Dense({|MG0007:" + units + "|}, From = nameof(X))] public partial DenseLayer Empty { get; }\n"),
            new Expected("MG0007", $"Units of 'Empty' is {units}; it must be at least 1"));
    }

    [Fact]
    public void NonPositiveInputSize_MG0007()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Input({|MG0007:0|})] public partial InputLayer Nothing { get; }\n"),
            new Expected("MG0007", "Size of 'Nothing' is 0; it must be at least 1"));
    }

    [Fact]
    public void DenseWithoutFrom_MG0008()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [{|MG0008:Dense(2)|}] public partial DenseLayer Orphan { get; }\n"),
            new Expected("MG0008", "Layer 'Orphan' does not say what it reads; set 'From = nameof(...)' to an input or layer"));
    }

    [Fact]
    public void MergeWithNullSource_MG0008()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Concatenate(nameof(X), {|MG0008:null|})] public partial ConcatenateLayer Joined { get; }\n"),
            new Expected("MG0008", "Layer 'Joined' does not say what it reads; source 2 is null; list two or more inputs or layers, e.g. [Concatenate(nameof(A), nameof(B))]"));
    }

    [Fact]
    public void HeadOnInput_MG0009()
    {
        DiagnosticAssert.Verify(
            Net("    [Input(4)][{|MG0009:Head(Loss.MeanSquaredError)|}] public partial InputLayer X { get; }\n" + Out),
            new Expected("MG0009", "'X' is an input, so it cannot be a head; put [Head] on a [Dense] layer or on a layer that reads one"));
    }

    [Fact]
    public void HeadOnMergeOfInputs_MG0009()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Input(2)] public partial InputLayer W { get; }\n"
                + "    [Concatenate(nameof(X), nameof(W))][{|MG0009:Head(Loss.MeanSquaredError)|}] public partial ConcatenateLayer Both { get; }\n"),
            new Expected("MG0009", "'Both' reads only inputs and has no parameters to train, so it cannot be a head; put [Head] on a [Dense] layer or on a layer that reads one"));
    }

    [Fact]
    public void HeadBehindStoppedGradients_MG0009()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Dense(1, From = nameof(X))] public partial DenseLayer A { get; }\n"
                + "    [StopGradient(nameof(A))][StopGradient(nameof(Out))][Add(nameof(A), nameof(Out))][{|MG0009:Head(Loss.MeanSquaredError)|}] public partial AddLayer Sum { get; }\n"),
            new Expected("MG0009", "'Sum' sends no gradient to a dense layer because [StopGradient] cuts every path to one, so it cannot be a head; put [Head] on a [Dense] layer or on a layer that reads one"));
    }

    [Fact]
    public void AddSizeMismatch_MG0012()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(3, From = nameof(X))] public partial DenseLayer A { get; }\n"
                + "    [Dense(5, From = nameof(X))] public partial DenseLayer B { get; }\n"
                + "    [Add(nameof(A), {|MG0012:nameof(B)|})] public partial AddLayer Sum { get; }\n"
                + "    [Dense(1, From = nameof(Sum))][Head(Loss.MeanSquaredError)] public partial DenseLayer Out { get; }\n"),
            new Expected("MG0012", "[Add] layer 'Sum' sums 'A' (3 values) and 'B' (5 values); every summed layer must have the same size"));
    }

    [Fact]
    public void MergeWithOneSource_MG0013()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [{|MG0013:Concatenate(nameof(X))|}] public partial ConcatenateLayer Alone { get; }\n"),
            new Expected("MG0013", "[Concatenate] layer 'Alone' lists 1 source(s); list at least two"));
    }

    [Fact]
    public void UnusedLayer_MG0015_IsAWarning()
    {
        GeneratorRun run = DiagnosticAssert.Verify(
            Net(X + Out + "    [Dense(2, From = nameof(X))] public partial DenseLayer {|MG0015:Spare|} { get; }\n"),
            new Expected("MG0015", "'Spare' is not read by any head, so no training method updates it and Predict does not compute it"));

        Assert.Contains(run.GeneratedSources, s => s.SourceText.ToString().Contains("TrainOnOut(", System.StringComparison.Ordinal));
    }

    [Fact]
    public void PragmaDisable_SuppressesAWarning()
    {
        string spare = "    [Dense(2, From = nameof(X))] public partial DenseLayer Spare { get; }\n";
        GeneratorRun reported = GeneratorHarness.Run(Net(X + Out + spare));
        GeneratorRun suppressed = GeneratorHarness.Run(Net(X + Out + "#pragma warning disable MG0015\n" + spare));

        Assert.Contains(reported.GeneratorDiagnostics, d => d.Id == "MG0015" && !d.IsSuppressed);
        Assert.DoesNotContain(suppressed.GeneratorDiagnostics, d => d.Id == "MG0015" && !d.IsSuppressed);
    }

    [Fact]
    public void SourceListedTwice_MG0025()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Concatenate(nameof(X), {|MG0025:nameof(X)|})] public partial ConcatenateLayer Twice { get; }\n"
                + "    [Dense(1, From = nameof(Twice))][Head(Loss.MeanSquaredError)] public partial DenseLayer Out { get; }\n"),
            new Expected("MG0025", "[Concatenate] layer 'Twice' lists 'X' 2 times, so its output repeats the values of 'X'; list each source once unless that is intended"));
    }

    [Fact]
    public void LayerTooLarge_MG0033()
    {
        DiagnosticAssert.Verify(
            Net("    [Input(100000)] public partial InputLayer X { get; }\n"
                + "    [Dense(100000, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer {|MG0033:Out|} { get; }\n"),
            new Expected("MG0033", "Layer 'Out' needs 10000000000 values for its weight matrix (units × inputs), more than the 2147483591 that one .NET array can hold; use fewer units or inputs"));
    }

    [Fact]
    public void ConcatenationTooLarge_MG0033()
    {
        DiagnosticAssert.Verify(
            Net("    [Input(2147483647)] public partial InputLayer X { get; }\n"
                + "    [Input(2147483647)] public partial InputLayer W { get; }\n"
                + "    [Concatenate(nameof(X), nameof(W))] public partial ConcatenateLayer {|MG0033:Both|} { get; }\n"
                + "    [Dense(1, From = nameof(Both))][Head(Loss.MeanSquaredError)] public partial DenseLayer Out { get; }\n"),
            new Expected("MG0033", "Layer 'Both' needs 4294967294 values per sample, more than the 2147483591 that one .NET array can hold; use fewer units or inputs"));
    }

    // ---- Heads, losses and activations -------------------------------------------------------------

    [Fact]
    public void SparseCrossEntropyOnOneUnit_MG0014()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(1, From = nameof(X), Activation = Activation.Softmax)][Head({|MG0014:Loss.SparseCategoricalCrossEntropy|})] public partial DenseLayer Out { get; }\n"),
            new Expected("MG0014", "Head 'Out' uses SparseCategoricalCrossEntropy on 1 unit(s); use one unit per class (at least 2), or BinaryCrossEntropy with a sigmoid for two classes"));
    }

    [Fact]
    public void NegativeHeadWeight_MG0018()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError, Weight = {|MG0018:-0.5f|})] public partial DenseLayer Out { get; }\n"),
            new Expected("MG0018", "Head 'Out' has Weight = -0.5; use a finite value >= 0"));
    }

    [Theory]
    [InlineData("Linear", "")]
    [InlineData("Relu", ", Activation = Activation.Relu")]
    [InlineData("Tanh", ", Activation = Activation.Tanh")]
    public void BinaryCrossEntropyWithoutProbabilities_MG0021(string activation, string argument)
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(1, From = nameof(X)" + argument + ")][Head({|MG0021:Loss.BinaryCrossEntropy|})] public partial DenseLayer Out { get; }\n"),
            new Expected("MG0021", $"Head 'Out' uses BinaryCrossEntropy on a {activation} layer, but the loss reads outputs as probabilities in [0, 1] and {activation} outputs are not, so they would be clamped and stop learning; use 'Activation = Activation.Sigmoid' (the loss is then computed from the logits)"));
    }

    [Fact]
    public void MeanSquaredErrorOnSoftmax_MG0022()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(3, From = nameof(X), Activation = Activation.Softmax)][Head({|MG0022:Loss.MeanSquaredError|})] public partial DenseLayer Out { get; }\n"),
            new Expected("MG0022", "Head 'Out' uses MeanSquaredError on a Softmax layer: a distance between class probabilities learns slowly once the softmax saturates on a wrong class; use SparseCategoricalCrossEntropy with one int label per sample, or CategoricalCrossEntropy with one-hot targets"));
    }

    [Fact]
    public void BinaryCrossEntropyOnSoftmax_MG0022()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(3, From = nameof(X), Activation = Activation.Softmax)][Head({|MG0022:Loss.BinaryCrossEntropy|})] public partial DenseLayer Out { get; }\n"),
            new Expected("MG0022", "Head 'Out' uses BinaryCrossEntropy on a Softmax layer: the softmax outputs of one sample sum to 1, so at most one unit can be near 1; use Sigmoid for independent labels, or SparseCategoricalCrossEntropy for one class per sample"));
    }

    [Fact]
    public void SparseCrossEntropyOnSigmoid_MG0022()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(3, From = nameof(X), Activation = Activation.Sigmoid)][Head({|MG0022:Loss.SparseCategoricalCrossEntropy|})] public partial DenseLayer Out { get; }\n"),
            new Expected("MG0022", "Head 'Out' uses SparseCategoricalCrossEntropy on a Sigmoid layer: the loss applies its own softmax to the Sigmoid outputs, which are bounded, so no class can get a probability near 1; use Linear or Softmax, and the loss works on the logits"));
    }

    [Fact]
    public void SoftmaxOnOneUnit_MG0023()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Dense(1, From = nameof(X), Activation = {|MG0023:Activation.Softmax|})][Head(Loss.MeanAbsoluteError)] public partial DenseLayer One { get; }\n"),
            new Expected("MG0023", "Layer 'One' applies Softmax to 1 unit, so it always outputs 1 and learns nothing; use Sigmoid for one probability, or 2 or more units for a distribution"));
    }

    [Fact]
    public void UndefinedActivation_MG0032()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Dense(2, From = nameof(X), Activation = {|MG0032:(Activation)9|})] public partial DenseLayer Odd { get; }\n"),
            new Expected("MG0032", "Activation of 'Odd' is (Activation)9, which is not a defined Activation value; use one of Activation.Linear, Activation.Relu, Activation.Sigmoid, Activation.Tanh, Activation.Softmax, Activation.LeakyRelu, Activation.Gelu, Activation.Softplus"));
    }

    [Fact]
    public void UndefinedLoss_MG0032()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(1, From = nameof(X))][Head({|MG0032:(Loss)7|})] public partial DenseLayer Out { get; }\n"),
            new Expected("MG0032", "Loss of 'Out' is (Loss)7, which is not a defined Loss value; use one of Loss.MeanSquaredError, Loss.MeanAbsoluteError, Loss.BinaryCrossEntropy, Loss.SparseCategoricalCrossEntropy, Loss.Huber, Loss.CategoricalCrossEntropy"));
    }

    // ---- Clashes with generated names --------------------------------------------------------------

    [Fact]
    public void UserMethodNamedPredict_MG0017()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    public void {|MG0017:Predict|}() { }\n"),
            new Expected("MG0017", "'Net' already declares a member named 'Predict', which ModelGen generates; rename the member or the layer"));
    }

    [Fact]
    public void UserMethodNamedLikeTrainingMethod_MG0017()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    public int {|MG0017:TrainOnOut|};\n"),
            new Expected("MG0017", "'Net' already declares a member named 'TrainOnOut', which ModelGen generates; rename the member or the layer"));
    }

    [Fact]
    public void UserParameterlessConstructor_MG0017()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    public {|MG0017:Net|}() { }\n"),
            new Expected("MG0017", "'Net' already declares a member named 'constructor Net()', which ModelGen generates; rename the member or the layer"));
    }

    [Fact]
    public void LayerNamedLikeGeneratedMember_MG0017()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(2, From = nameof(X))] public partial DenseLayer {|MG0017:Optimizer|} { get; }\n"
                + "    [Dense(1, From = nameof(Optimizer))][Head(Loss.MeanSquaredError)] public partial DenseLayer Out { get; }\n"),
            new Expected("MG0017", "'Net' already declares a member named 'Optimizer', which ModelGen generates; rename the member or the layer"));
    }

    [Fact]
    public void InheritedMemberNamedPredict_MG0017()
    {
        string source = "using ModelGen;\nnamespace Demo;\npublic class Base { public int Predict { get; set; } }\n[Model]\npublic partial class {|MG0017:Net|} : Base\n{\n" + X + Out + "}\n";
        DiagnosticAssert.Verify(
            source,
            new Expected("MG0017", "Base class 'Base' of 'Net' already declares a member named 'Predict', which ModelGen generates; rename the member or the layer"));
    }

    [Fact]
    public void InputNamedBatch_MG0024()
    {
        DiagnosticAssert.Verify(
            Net("    [Input(4)] public partial InputLayer {|MG0024:Batch|} { get; }\n" + "    [Dense(1, From = nameof(Batch))][Head(Loss.MeanSquaredError)] public partial DenseLayer Out { get; }\n"),
            new Expected("MG0024", "Input 'Batch' becomes the parameter 'batch', which the generated code already uses for the batch size; rename the input 'Batch'"));
    }

    [Fact]
    public void HeadNamedTotal_MG0024()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer {|MG0024:Total|} { get; }\n"),
            new Expected("MG0024", "Head 'Total' becomes a property of the generated result types, but the generated Losses struct already has a property 'Total' for the weighted sum; rename the head 'Total'"));
    }

    [Fact]
    public void InputAndHeadDifferingInCase_MG0024()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer {|MG0024:x|} { get; }\n"),
            new Expected("MG0024", "Input 'X' and head 'x' both become the parameter 'x' of the generated methods; rename the head 'x'"));
    }

    [Fact]
    public void InputNamedLikeLossLocal_MG0024()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Input(2)] public partial InputLayer {|MG0024:LossOut|} { get; }\n"
                + "    [Dense(1, From = nameof(LossOut))][Head(Loss.MeanSquaredError)] public partial DenseLayer Second { get; }\n"),
            new Expected("MG0024", "Input 'LossOut' becomes the parameter 'lossOut', a name that the generated training methods already use for the loss of head 'Out'; rename the input 'LossOut'"));
    }

    [Fact]
    public void InputNamedLikeSampleWeights_MG0024()
    {
        // The weighted training methods and the Dataset constructor both take 'outSampleWeights' for head Out.
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Input(2)] public partial InputLayer {|MG0024:OutSampleWeights|} { get; }\n"
                + "    [Dense(1, From = nameof(OutSampleWeights))][Head(Loss.MeanSquaredError)] public partial DenseLayer Second { get; }\n"),
            new Expected("MG0024", "Input 'OutSampleWeights' becomes the parameter 'outSampleWeights', a name that the generated training methods already use for the sample weights of head 'Out'; rename the input 'OutSampleWeights'"));
    }

    [Fact]
    public void TrainingMethodNamesCollide_MG0024()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer A { get; }\n"
                + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer AndB { get; }\n"
                + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer {|MG0024:AAnd|} { get; }\n"
                + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer B { get; }\n"),
            new Expected("MG0024", "Heads A + AndB and heads AAnd + B both get the training method 'TrainOnAAndAndB'; rename the head 'AAnd'"));
    }

    [Fact]
    public void LayerNamedLikeAnotherLayersBuffer_MG0024()
    {
        DiagnosticAssert.Verify(
            Net(X + "    [Dense(2, From = nameof(X))] public partial DenseLayer Hidden { get; }\n"
                + "    [Dense(1, From = nameof(Hidden))][Head(Loss.MeanSquaredError)] public partial DenseLayer {|MG0024:HiddenOutput|} { get; }\n"),
            new Expected("MG0024", "Layers 'Hidden' and 'HiddenOutput' both generate a private member named '__hiddenOutput'; rename the layer 'HiddenOutput'"));
    }

    [Fact]
    public void ModelClassNamedLikeGeneratedMember_MG0024()
    {
        DiagnosticAssert.Verify(
            Net(X + Out, "[Model]\npublic partial class {|MG0024:Outputs|}"),
            new Expected("MG0024", "Model class 'Outputs' has the same name as its generated member 'Outputs', and C# forbids a member named like its enclosing type; rename the model class"));
    }

    // ---- Subsets -----------------------------------------------------------------------------------

    private const string FiveHeads =
        "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer A { get; }\n"
        + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer B { get; }\n"
        + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer C { get; }\n"
        + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer D { get; }\n"
        + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer E { get; }\n";

    private const string SubsetLimitMessage = "Model 'Net' has 5 heads, more than MaxHeadsForAllSubsets (4), so ModelGen generates TrainOnAAndBAndCAndDAndE and one method per head, not all 31 subsets; request others with [TrainSubset(nameof(...), nameof(...))] or raise MaxHeadsForAllSubsets";

    [Fact]
    public void MoreHeadsThanSubsetLimit_MG0026_IsInfo()
    {
        GeneratorRun run = DiagnosticAssert.Verify(
            Net(X + FiveHeads, "[{|MG0026:Model|}]\npublic partial class Net"),
            new Expected("MG0026", SubsetLimitMessage));

        string generated = GeneratorRun.NetworkSource(run).SourceText.ToString();
        // Each training method has two overloads, without and with per-sample weights.
        Assert.Equal(2 * 6, generated.Split("[global::ModelGen.TrainingMethod(").Length - 1);
    }

    [Fact]
    public void ThirtyTwoHeads_MG0037()
    {
        string heads = string.Concat(Enumerable.Range(0, 32).Select(i => $"    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer H{i} {{ get; }}\n"));
        DiagnosticAssert.Verify(
            Net(X + heads, "[{|MG0037:Model|}]\npublic partial class Net"),
            new Expected("MG0037", "Model 'Net' has 32 heads, but the generated training loop selects heads by the bits of an int, so a model can have at most 31; merge heads into wider layers or split the model"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("9")]
    public void SubsetLimitOutOfRange_MG0027(string limit)
    {
        DiagnosticAssert.Verify(
            Net(X + Out, "[Model(MaxHeadsForAllSubsets = {|MG0027:" + limit + "|})]\npublic partial class Net"),
            new Expected("MG0027", $"MaxHeadsForAllSubsets of 'Net' is {limit}; use a value from 1 to 8 (n heads give 2^n - 1 training methods), and [TrainSubset] for further subsets"));
    }

    [Fact]
    public void TrainSubsetUnknownHead_MG0028()
    {
        DiagnosticAssert.Verify(
            Net(X + FiveHeads, "[{|MG0026:Model|}]\n[TrainSubset(nameof(A), {|MG0028:\"Bb\"|})]\npublic partial class Net"),
            new Expected("MG0026", SubsetLimitMessage),
            new Expected("MG0028", "[TrainSubset] names 'Bb', which is not a head of 'Net'; did you mean 'B'?"));
    }

    [Fact]
    public void TrainSubsetWithLayerWithoutHead_MG0028()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer Second { get; }\n", "[Model]\n[TrainSubset(nameof(Out), {|MG0028:nameof(X)|})]\npublic partial class Net"),
            new Expected("MG0028", "[TrainSubset] names 'X', which is not a head of 'Net'; 'X' is a layer without [Head]"));
    }

    [Fact]
    public void TrainSubsetWithOneHead_MG0029()
    {
        DiagnosticAssert.Verify(
            Net(X + Out, "[Model]\n[{|MG0029:TrainSubset(nameof(Out))|}]\npublic partial class Net"),
            new Expected("MG0029", "[TrainSubset] lists 1 head(s); list at least two, because a method for each single head is always generated"));
    }

    [Fact]
    public void TrainSubsetRepeatingAHead_MG0030()
    {
        DiagnosticAssert.Verify(
            Net(X + FiveHeads, "[{|MG0026:Model|}]\n[TrainSubset(nameof(A), {|MG0030:nameof(A)|})]\npublic partial class Net"),
            new Expected("MG0026", SubsetLimitMessage),
            new Expected("MG0030", "[TrainSubset] lists head 'A' more than once; list each head once"));
    }

    [Fact]
    public void TrainSubsetWithinLimit_MG0031()
    {
        DiagnosticAssert.Verify(
            Net(X + Out + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer Second { get; }\n"
                + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError)] public partial DenseLayer Third { get; }\n",
                "[Model]\n[{|MG0031:TrainSubset(nameof(Third), nameof(Out))|}]\npublic partial class Net"),
            new Expected("MG0031", "[TrainSubset] requests 'TrainOnOutAndThird', which is generated already, because the model has no more heads than MaxHeadsForAllSubsets (4); remove this attribute"));
    }

    [Fact]
    public void TrainSubsetRequestedTwice_MG0031()
    {
        DiagnosticAssert.Verify(
            Net(X + FiveHeads, "[{|MG0026:Model|}]\n[TrainSubset(nameof(A), nameof(C))]\n[{|MG0031:TrainSubset(nameof(C), nameof(A))|}]\npublic partial class Net"),
            new Expected("MG0026", SubsetLimitMessage),
            new Expected("MG0031", "[TrainSubset] requests 'TrainOnAAndC', which an earlier [TrainSubset] already requests; remove this attribute"));
    }

    [Fact]
    public void TrainSubsetOfEveryHead_MG0031()
    {
        DiagnosticAssert.Verify(
            Net(X + FiveHeads, "[{|MG0026:Model|}]\n[{|MG0031:TrainSubset(nameof(A), nameof(B), nameof(C), nameof(D), nameof(E))|}]\npublic partial class Net"),
            new Expected("MG0026", SubsetLimitMessage),
            new Expected("MG0031", "[TrainSubset] requests 'TrainOnAAndBAndCAndDAndE', which trains every head and is always generated; remove this attribute"));
    }

    // ---- Robustness --------------------------------------------------------------------------------

    [Fact]
    public void DuplicatePropertyNames_LeftToCompiler()
    {
        GeneratorRun run = DiagnosticAssert.Verify(
            Net(X + Out + "    [Dense(2, From = nameof(X))] public partial DenseLayer Out { get; }\n"));

        Assert.Contains(run.OutputDiagnostics, d => d.Id == "CS0102");
    }

    [Fact]
    public void HalfTypedAttribute_LeftToCompiler()
    {
        GeneratorRun run = DiagnosticAssert.Verify(
            Net(X + Out + "    [Dense(From = nameof(X))] public partial DenseLayer Half { get; }\n"));

        Assert.Contains(run.OutputDiagnostics, d => d.Id == "CS7036");
    }

    [Fact]
    public void InvalidModel_GetsPlaceholders()
    {
        GeneratorRun run = DiagnosticAssert.Verify(
            Net(X + "    [Dense(1, From = nameof(X))][Head(Loss.MeanSquaredError, Weight = {|MG0018:float.NaN|})] public partial DenseLayer Out { get; }\n"),
            new Expected("MG0018", "Head 'Out' has Weight = NaN; use a finite value >= 0"));

        Assert.DoesNotContain(run.OutputDiagnostics, d => d.Id == "CS9248");
        Assert.Contains("public partial global::ModelGen.DenseLayer Out => throw", GeneratorRun.NetworkSource(run).SourceText.ToString(), System.StringComparison.Ordinal);
    }
}
