using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ModelGen.Analyzers.Flow;

/// <summary>
/// A call of a generated method or constructor and the abstract value of each of its arguments at the call.
/// </summary>
internal sealed class CallRecord
{
    public CallRecord(IOperation call, ModelMethod method, bool throughDelegate)
    {
        Call = call;
        Method = method;
        ThroughDelegate = throughDelegate;
        Values = new AbstractValue[method.Method.Parameters.Length];
        for (int i = 0; i < Values.Length; i++)
        {
            Values[i] = AbstractValue.Unknown;
        }

        Arguments = new IArgumentOperation?[method.Method.Parameters.Length];
    }

    /// <summary>
    /// The <see cref="IInvocationOperation"/> or <see cref="IObjectCreationOperation"/>, as it appears in the control
    /// flow graph (its syntax is the user's).
    /// </summary>
    public IOperation Call { get; }

    /// <summary>The generated method that runs: the invoked one, or the one a delegate was created from.</summary>
    public ModelMethod Method { get; }

    /// <summary>Whether the call goes through a delegate, so the syntax names the delegate, not the method.</summary>
    public bool ThroughDelegate { get; }

    /// <summary>Value of each argument, by ordinal of the generated method's parameter.</summary>
    public AbstractValue[] Values { get; }

    /// <summary>Argument for each parameter of the generated method, by ordinal; null where none maps.</summary>
    public IArgumentOperation?[] Arguments { get; }

    /// <summary>Whether the caller wrote the argument for parameter <paramref name="ordinal"/>, rather than a default.</summary>
    public bool IsExplicit(int ordinal) =>
        Arguments[ordinal] is { ArgumentKind: ArgumentKind.Explicit };
}
