using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ModelGen.Analyzers.Flow;

namespace ModelGen.Analyzers;

/// <summary>
/// Reports calls of generated ModelGen methods that pass a null target or input (MG1001, MG1004), a target that
/// contains NaN (MG1002), or a target that this method wrote NaN into (MG1003). Calls of a generated
/// <c>Dataset</c> constructor are checked for NaN targets only, because a null target is legal there.
/// </summary>
/// <remarks>
/// Generated methods are found by their attributes: <c>[TrainingMethod]</c> on the method, <c>[HeadTarget]</c> and
/// <c>[InputValues]</c> on its parameters. Only method bodies that call such a method or constructor, directly or
/// through a method group, are analysed: their control flow graph goes through <see cref="ValueFlowAnalysis"/>.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TrainingCallAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
    [
        UsageDescriptors.NullTarget,
        UsageDescriptors.NaNTarget,
        UsageDescriptors.PossiblyNaNTarget,
        UsageDescriptors.NullInput,
    ];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            ModelGenSymbols? symbols = ModelGenSymbols.TryCreate(start.Compilation);
            if (symbols is null)
            {
                return;
            }

            start.RegisterOperationBlockStartAction(block => RegisterBlock(block, symbols));
        });
    }

    private static void RegisterBlock(OperationBlockStartAnalysisContext block, ModelGenSymbols symbols)
    {
        var found = new CallFound();
        block.RegisterOperationAction(
            operation =>
            {
                IMethodSymbol? method = operation.Operation switch
                {
                    IInvocationOperation invocation => invocation.TargetMethod,
                    IMethodReferenceOperation reference => reference.Method,
                    IObjectCreationOperation creation => creation.Constructor,
                    _ => null,
                };
                if (method is not null && symbols.GetModelMethod(method) is not null)
                {
                    found.Set();
                }
            },
            OperationKind.Invocation,
            OperationKind.MethodReference,
            OperationKind.ObjectCreation);

        block.RegisterOperationBlockEndAction(end =>
        {
            if (!found.Value)
            {
                return;
            }

            // Several blocks (a body and parameter defaults, say) can share one root and so one graph.
            var roots = new HashSet<IOperation>();
            foreach (IOperation block in end.OperationBlocks)
            {
                IOperation root = RootOf(block);
                if (HasControlFlowGraph(root) && roots.Add(root) && HasNullOrNaNSource(root, symbols, end.CancellationToken))
                {
                    ControlFlowGraph graph = end.GetControlFlowGraph(block);
                    foreach (CallRecord call in ValueFlowAnalysis.Run(graph, symbols, end.CancellationToken))
                    {
                        CallReporter.Report(call, symbols, end.ReportDiagnostic);
                    }
                }
            }
        });
    }

    /// <summary>
    /// Whether the body contains anything the analysis could turn into a diagnostic: a null or NaN constant, a
    /// <c>default</c> value, or a field whose only value is null. Most bodies have none, and skip the graph.
    /// </summary>
    private static bool HasNullOrNaNSource(IOperation root, ModelGenSymbols symbols, CancellationToken cancellationToken)
    {
        foreach (IOperation operation in root.DescendantsAndSelf())
        {
            if (operation.ConstantValue.HasValue)
            {
                if (operation.ConstantValue.Value is null or float.NaN or double.NaN)
                {
                    return true;
                }
            }
            else if (operation is IDefaultValueOperation
                || (operation is IFieldReferenceOperation field && symbols.FieldFacts.IsAlwaysNull(field.Field, cancellationToken)))
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation RootOf(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>Whether <paramref name="root"/> is the root of a body that a control flow graph can be built for.</summary>
    private static bool HasControlFlowGraph(IOperation root) =>
        root.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block
            or OperationKind.FieldInitializer or OperationKind.PropertyInitializer or OperationKind.ParameterInitializer;

    /// <summary>Set by the operation actions of one block when it calls a generated method.</summary>
    private sealed class CallFound
    {
        private int _value;

        public bool Value => Volatile.Read(ref _value) != 0;

        public void Set() => Volatile.Write(ref _value, 1);
    }
}
