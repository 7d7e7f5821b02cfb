using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ModelGen.Analyzers;

/// <summary>
/// Types that the analyzer compares against, resolved once per compilation, and per-compilation caches of what
/// it reads from symbols. Thread-safe: the analyzer runs concurrently.
/// </summary>
internal sealed class ModelGenSymbols
{
    private readonly ConcurrentDictionary<IMethodSymbol, ModelMethod?> _methods = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<ModelMethod>> _trainingMethods = new(SymbolEqualityComparer.Default);

    private ModelGenSymbols(Compilation compilation, INamedTypeSymbol trainingMethod, INamedTypeSymbol headTarget, INamedTypeSymbol inputValues)
    {
        TrainingMethodAttribute = trainingMethod;
        HeadTargetAttribute = headTarget;
        InputValuesAttribute = inputValues;
        Enumerable = compilation.GetTypeByMetadataName("System.Linq.Enumerable");
        Array = compilation.GetSpecialType(SpecialType.System_Array);
        MemoryExtensions = compilation.GetTypeByMetadataName("System.MemoryExtensions");
        Span = compilation.GetTypeByMetadataName("System.Span`1");
        ReadOnlySpan = compilation.GetTypeByMetadataName("System.ReadOnlySpan`1");
        Memory = compilation.GetTypeByMetadataName("System.Memory`1");
        ReadOnlyMemory = compilation.GetTypeByMetadataName("System.ReadOnlyMemory`1");
        List = compilation.GetTypeByMetadataName("System.Collections.Generic.List`1");
        FieldFacts = new FieldFacts();
    }

    public INamedTypeSymbol TrainingMethodAttribute { get; }

    public INamedTypeSymbol HeadTargetAttribute { get; }

    public INamedTypeSymbol InputValuesAttribute { get; }

    public INamedTypeSymbol? Enumerable { get; }

    public INamedTypeSymbol Array { get; }

    public INamedTypeSymbol? MemoryExtensions { get; }

    public INamedTypeSymbol? Span { get; }

    public INamedTypeSymbol? ReadOnlySpan { get; }

    public INamedTypeSymbol? Memory { get; }

    public INamedTypeSymbol? ReadOnlyMemory { get; }

    public INamedTypeSymbol? List { get; }

    public FieldFacts FieldFacts { get; }

    /// <summary>Resolves ModelGen's attribute types; returns null when the compilation does not reference ModelGen.</summary>
    public static ModelGenSymbols? TryCreate(Compilation compilation)
    {
        INamedTypeSymbol? trainingMethod = compilation.GetTypeByMetadataName("ModelGen.TrainingMethodAttribute");
        INamedTypeSymbol? headTarget = compilation.GetTypeByMetadataName("ModelGen.HeadTargetAttribute");
        INamedTypeSymbol? inputValues = compilation.GetTypeByMetadataName("ModelGen.InputValuesAttribute");
        return trainingMethod is null || headTarget is null || inputValues is null
            ? null
            : new ModelGenSymbols(compilation, trainingMethod, headTarget, inputValues);
    }

    /// <summary>Returns what ModelGen's attributes say about <paramref name="method"/>, or null when it has none.</summary>
    public ModelMethod? GetModelMethod(IMethodSymbol method)
    {
        method = method.ReducedFrom ?? method;
        method = method.OriginalDefinition;
        if (_methods.TryGetValue(method, out ModelMethod? known))
        {
            return known;
        }

        // A null value records that the method has none of ModelGen's attributes.
        return _methods.GetOrAdd(method, ModelMethod.TryCreate(method, this));
    }

    /// <summary>Returns the training methods declared in <paramref name="type"/>.</summary>
    public ImmutableArray<ModelMethod> GetTrainingMethods(INamedTypeSymbol type) =>
        _trainingMethods.GetOrAdd(type, t => t.GetMembers()
            .OfType<IMethodSymbol>()
            .Select(GetModelMethod)
            .Where(m => m is { IsTraining: true })
            .Select(m => m!)
            .ToImmutableArray());

    /// <summary>Whether <paramref name="type"/> is a constructed form of <paramref name="definition"/>.</summary>
    public static bool IsConstructedFrom(ITypeSymbol? type, INamedTypeSymbol? definition) =>
        definition is not null && type is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, definition);

    /// <summary>Whether <paramref name="method"/> is declared in <paramref name="type"/>.</summary>
    public static bool IsDeclaredIn(IMethodSymbol method, INamedTypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, type);

    /// <summary>
    /// Whether code that receives a value of <paramref name="type"/> could write into the buffer behind it: arrays,
    /// spans, lists and anything that may hold one (object, interfaces other than read-only ones, type parameters).
    /// </summary>
    public bool MayWriteThrough(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol || type is ITypeParameterSymbol || type.TypeKind == TypeKind.Dynamic)
        {
            return true;
        }

        if (IsConstructedFrom(type, ReadOnlySpan) || IsConstructedFrom(type, ReadOnlyMemory))
        {
            return false;
        }

        if (IsConstructedFrom(type, Span) || IsConstructedFrom(type, Memory))
        {
            return true;
        }

        if (type.IsValueType || type.SpecialType == SpecialType.System_String)
        {
            return false;
        }

        if (type is INamedTypeSymbol { TypeKind: TypeKind.Interface } named)
        {
            return !ReadOnlyInterfaces.Contains(named.OriginalDefinition.SpecialType)
                && named.OriginalDefinition.MetadataName is not ("IReadOnlyList`1" or "IReadOnlyCollection`1");
        }

        return type.TypeKind != TypeKind.Delegate;
    }

    private static readonly HashSet<SpecialType> ReadOnlyInterfaces =
    [
        SpecialType.System_Collections_Generic_IEnumerable_T,
        SpecialType.System_Collections_IEnumerable,
        SpecialType.System_Collections_Generic_IReadOnlyList_T,
        SpecialType.System_Collections_Generic_IReadOnlyCollection_T,
    ];
}
