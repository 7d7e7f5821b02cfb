using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelGen.Analyzers;

/// <summary>
/// Finds fields whose only value is null: a source field initialised to null (or not initialised) that nothing
/// assigns. A readonly field may be assigned only in its type's constructors; a private field only in its type.
/// Both are checked on syntax, by name, so any possible write (even to another object's field of that name)
/// keeps the field out.
/// </summary>
internal sealed class FieldFacts
{
    private readonly ConcurrentDictionary<IFieldSymbol, bool> _alwaysNull = new(SymbolEqualityComparer.Default);

    /// <summary>Whether every read of <paramref name="field"/> returns null.</summary>
    public bool IsAlwaysNull(IFieldSymbol field, CancellationToken cancellationToken)
    {
        field = field.OriginalDefinition;
        if (_alwaysNull.TryGetValue(field, out bool known))
        {
            return known;
        }

        return _alwaysNull.GetOrAdd(field, Compute(field, cancellationToken));
    }

    private static bool Compute(IFieldSymbol field, CancellationToken cancellationToken)
    {
        if (field.IsConst || field.Type.IsValueType || field.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        if (!field.IsReadOnly && field.DeclaredAccessibility != Accessibility.Private)
        {
            return false;
        }

        if (field.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax declarator
            || (declarator.Initializer is { } initializer && !IsNullSyntax(initializer.Value)))
        {
            return false;
        }

        foreach (SyntaxReference reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            SyntaxNode type = reference.GetSyntax(cancellationToken);
            foreach (SyntaxNode node in type.DescendantNodes())
            {
                if (node is IdentifierNameSyntax name && name.Identifier.ValueText == field.Name)
                {
                    bool inConstructor = name.FirstAncestorOrSelf<ConstructorDeclarationSyntax>() is not null;
                    if ((field.IsReadOnly && inConstructor) || IsWritten(name))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="expression"/> is <c>null</c>, <c>default</c>, or one of them cast or suppressed.</summary>
    public static bool IsNullSyntax(ExpressionSyntax expression)
    {
        while (true)
        {
            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    expression = parenthesized.Expression;
                    continue;
                case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } suppressed:
                    expression = suppressed.Operand;
                    continue;
                case CastExpressionSyntax cast:
                    expression = cast.Expression;
                    continue;
                case LiteralExpressionSyntax literal:
                    return literal.IsKind(SyntaxKind.NullLiteralExpression) || literal.IsKind(SyntaxKind.DefaultLiteralExpression);
                case DefaultExpressionSyntax:
                    return true;
                default:
                    return false;
            }
        }
    }

    private static bool IsWritten(IdentifierNameSyntax name)
    {
        SyntaxNode node = name;
        while (node.Parent is { } parent)
        {
            if ((parent is MemberAccessExpressionSyntax access && access.Name == node)
                || parent is ParenthesizedExpressionSyntax
                || parent is TupleExpressionSyntax
                || (parent is ArgumentSyntax { RefKindKeyword.RawKind: 0 } && parent.Parent is TupleExpressionSyntax))
            {
                node = parent;
                continue;
            }

            break;
        }

        return node.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == node,
            PrefixUnaryExpressionSyntax prefix => prefix.IsKind(SyntaxKind.PreIncrementExpression)
                || prefix.IsKind(SyntaxKind.PreDecrementExpression)
                || prefix.IsKind(SyntaxKind.AddressOfExpression),
            PostfixUnaryExpressionSyntax postfix => postfix.IsKind(SyntaxKind.PostIncrementExpression)
                || postfix.IsKind(SyntaxKind.PostDecrementExpression),
            ArgumentSyntax argument => argument.RefKindKeyword.RawKind != 0,
            RefExpressionSyntax => true,
            _ => false,
        };
    }
}
