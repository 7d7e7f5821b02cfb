using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelGen.Generator.Helpers;
using ModelGen.Generator.Model;

namespace ModelGen.Generator;

/// <summary>
/// Generates the network behind each <c>[Model]</c> class: constructor, layer properties, training methods for
/// subsets of heads, and <c>Predict</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class ModelGenerator : IIncrementalGenerator
{
    internal const string GeneratorVersion = "0.1.0";

    /// <summary>Names of the pipeline steps, for incremental-caching tests.</summary>
    internal static class StepNames
    {
        public const string Parse = nameof(Parse);
        public const string Models = nameof(Models);
        public const string Diagnostics = nameof(Diagnostics);
        public const string Stubs = nameof(Stubs);
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // 1. Find [Model] classes and read each into value-equal specs; no symbol or syntax goes further.
        IncrementalValuesProvider<ModelParseResult> results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                ModelAttributeName,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                Parse)
            .WithTrackingName(StepNames.Parse);

        // 2. Report diagnostics in their own output, so that an unchanged model does not re-emit source. They are
        //    located in the compilation's own syntax trees, because the compiler checks '#pragma warning disable'
        //    only for such locations, not for one made from a file path. Only models with diagnostics take the
        //    compilation, so a clean model's outputs stay cached.
        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = results
            .Select(static (result, _) => result.Diagnostics)
            .Where(static list => list.Count > 0)
            .WithTrackingName(StepNames.Diagnostics);
        context.RegisterSourceOutput(
            diagnostics.Combine(context.CompilationProvider),
            static (output, pair) =>
            {
                foreach (DiagnosticInfo diagnostic in pair.Left)
                {
                    output.ReportDiagnostic(diagnostic.ToDiagnostic(pair.Right));
                }
            });

        // 3. Emit the model from its spec.
        IncrementalValuesProvider<ModelSpec> models = results
            .Select(static (result, _) => result.Model)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(StepNames.Models);
        context.RegisterSourceOutput(models, static (output, model) => AddModelSource(output, model));

        // 3b. Emit the typed Dataset, Fit and Evaluate in a second file, so the training loop stays apart from the network.
        context.RegisterSourceOutput(models, static (output, model) =>
            output.AddSource(model.Shell.HintName + ".Training.g.cs", EmitTraining(model)));

        // 4. For a model with errors, emit throwing property bodies so that only ModelGen's diagnostics show.
        IncrementalValuesProvider<ModelParseResult> invalid = results
            .Where(static result => result.Model is null && result.Shell is not null && result.Stubs.Count > 0)
            .WithTrackingName(StepNames.Stubs);
        context.RegisterSourceOutput(invalid, static (output, result) =>
            output.AddSource(result.Shell!.HintName + ".g.cs", EmitStubs(result.Shell, result.Stubs)));
    }

    /// <summary>
    /// Emits a valid model. An unexpected exception becomes diagnostic MG0999, because an exception that leaves
    /// the generator only shows as warning CS8785 and drops the output of every model in the project.
    /// </summary>
    private static void AddModelSource(SourceProductionContext output, ModelSpec model)
    {
        string source;
        try
        {
            source = Emit(model);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, "generate code for", model.Shell.ClassName, exception.GetType().Name, exception.Message));
            return;
        }

        output.AddSource(model.Shell.HintName + ".g.cs", source);
    }
}
