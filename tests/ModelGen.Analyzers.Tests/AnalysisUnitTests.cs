using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelGen.Analyzers.Flow;
using ModelGen.Analyzers.Tests.Infrastructure;
using Xunit;

namespace ModelGen.Analyzers.Tests;

/// <summary>The pieces under the analyzer: symbol resolution and the rules for writes into buffers.</summary>
public class AnalysisUnitTests
{
    [Fact]
    public void Symbols_WithoutModelGenReference_AreNotCreated()
    {
        var frameworkOnly = TestReferences.All.Where(r => !r.Display!.EndsWith("ModelGen.dll", System.StringComparison.Ordinal));
        var compilation = CSharpCompilation.Create("NoModelGen", [CSharpSyntaxTree.ParseText("class C { }")], frameworkOnly);

        Assert.Null(ModelGenSymbols.TryCreate(compilation));
    }

    [Fact]
    public void Symbols_WithModelGenReference_ResolveAttributes()
    {
        var compilation = CSharpCompilation.Create("WithModelGen", [CSharpSyntaxTree.ParseText("class C { }")], TestReferences.All);

        ModelGenSymbols? symbols = ModelGenSymbols.TryCreate(compilation);

        Assert.NotNull(symbols);
        Assert.Equal("TrainingMethodAttribute", symbols.TrainingMethodAttribute.Name);
        Assert.Equal("HeadTargetAttribute", symbols.HeadTargetAttribute.Name);
        Assert.Equal("InputValuesAttribute", symbols.InputValuesAttribute.Name);
    }

    [Fact]
    public void WriteElement_NaNAtConstantIndex_IsMaybe()
    {
        AbstractValue written = BufferTransfer.WriteElement(AbstractValue.NewBuffer(NaNContent.None, null), NaNContent.All, 2);

        Assert.Equal(NaNContent.Maybe, written.NaN);
        Assert.Equal([2], written.NaNIndices!);
    }

    [Fact]
    public void WriteElement_FiniteAtSameIndex_ClearsNaN()
    {
        AbstractValue buffer = AbstractValue.NewBuffer(NaNContent.Maybe, ImmutableSortedSet.Create(2));

        Assert.Equal(NaNContent.None, BufferTransfer.WriteElement(buffer, NaNContent.None, 2).NaN);
        Assert.Equal(NaNContent.Maybe, BufferTransfer.WriteElement(buffer, NaNContent.None, 3).NaN);
    }

    [Fact]
    public void WriteElement_FiniteAtUnknownIndex_ForgetsNaN()
    {
        AbstractValue buffer = AbstractValue.NewBuffer(NaNContent.All, null);

        Assert.Equal(NaNContent.None, BufferTransfer.WriteElement(buffer, NaNContent.None, null).NaN);
    }

    [Fact]
    public void WriteElement_FiniteIntoAllNaN_LeavesMaybe()
    {
        // A one-element buffer would be finite after the write, so 'all NaN' can no longer be claimed.
        AbstractValue buffer = AbstractValue.NewBuffer(NaNContent.All, null);

        Assert.Equal(NaNContent.Maybe, BufferTransfer.WriteElement(buffer, NaNContent.None, 0).NaN);
    }

    [Fact]
    public void Fill_Partial_WithNaN_ContainsOnlyWhenNonEmpty()
    {
        AbstractValue buffer = AbstractValue.NewBuffer(NaNContent.None, null);

        Assert.Equal(NaNContent.Contains, BufferTransfer.Fill(buffer, NaNContent.All, partial: true, certainlyNonEmpty: true).NaN);
        Assert.Equal(NaNContent.Maybe, BufferTransfer.Fill(buffer, NaNContent.All, partial: true, certainlyNonEmpty: false).NaN);
        Assert.Equal(NaNContent.All, BufferTransfer.Fill(buffer, NaNContent.All, partial: false, certainlyNonEmpty: false).NaN);
    }

    [Fact]
    public void Slice_KeepsCertaintyOnlyWhenAllNaNPositionsInside()
    {
        AbstractValue buffer = AbstractValue.NewBuffer(NaNContent.Contains, ImmutableSortedSet.Create(1, 5));

        (NaNContent whole, _) = BufferTransfer.Slice(buffer, 0, 8, toEnd: false);
        (NaNContent part, ImmutableSortedSet<int>? positions) = BufferTransfer.Slice(buffer, 4, 2, toEnd: false);
        (NaNContent outside, _) = BufferTransfer.Slice(buffer, 2, 2, toEnd: false);

        Assert.Equal(NaNContent.Contains, whole);
        Assert.Equal(NaNContent.Maybe, part);
        Assert.Equal([1], positions!);
        Assert.Equal(NaNContent.None, outside);
    }

    [Fact]
    public void Join_NullAndNotNull_IsUnknown()
    {
        AbstractValue joined = AbstractValue.Join(AbstractValue.Null, AbstractValue.NewBuffer(NaNContent.None, null));

        Assert.Equal(Nullness.Unknown, joined.Nullness);
    }

    [Fact]
    public void Join_NaNAndOrdinary_IsMaybe()
    {
        AbstractValue joined = AbstractValue.Join(AbstractValue.NewBuffer(NaNContent.All, null), AbstractValue.NewBuffer(NaNContent.None, null));

        Assert.Equal(NaNContent.Maybe, joined.NaN);
    }

    [Fact]
    public void Join_NaNTestOnOnePath_CountsAsTested()
    {
        AbstractValue tested = AbstractValue.NewBuffer(NaNContent.None, null).WithNaNChecked(true);
        AbstractValue untested = AbstractValue.NewBuffer(NaNContent.Contains, ImmutableSortedSet.Create(0));

        Assert.True(AbstractValue.Join(tested, untested).NaNChecked);
    }
}
