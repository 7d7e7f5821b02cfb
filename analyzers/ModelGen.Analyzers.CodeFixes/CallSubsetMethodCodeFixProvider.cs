using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ModelGen.Analyzers.CodeFixes;

/// <summary>
/// Fixes MG1001 and MG1002 (a target that is null or NaN in every value) by calling the generated method that
/// trains only the other heads. The method name changes and the arguments of the untrained heads are removed.
/// The other arguments keep their order, names, comments and layout.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CallSubsetMethodCodeFixProvider))]
public sealed class CallSubsetMethodCodeFixProvider : CodeFixProvider
{
    /// <summary>Equivalence key of the code action, shared by every call so that Fix All applies to all of them.</summary>
    public const string EquivalenceKey = "ModelGen.CallSubsetMethod";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        [UsageDescriptors.NullTarget.Id, UsageDescriptors.NaNTarget.Id];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllAsync);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (Rewrite.Read(diagnostic) is not { } rewrite || FindInvocation(root, diagnostic) is not { } invocation)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Call {rewrite.Method}",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(invocation, rewrite.Apply(invocation)))),
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>Rewrites every reported call of a document once, whatever the number of diagnostics on it.</summary>
    private static async Task<Document?> FixAllAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var rewrites = new Dictionary<InvocationExpressionSyntax, Rewrite>();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            if (Rewrite.Read(diagnostic) is { } rewrite && FindInvocation(root, diagnostic) is { } invocation && !rewrites.ContainsKey(invocation))
            {
                rewrites.Add(invocation, rewrite);
            }
        }

        if (rewrites.Count == 0)
        {
            return document;
        }

        // Calls nested in other calls' arguments are rewritten first; their outer call then keeps its argument indices.
        SyntaxNode fixedRoot = root.ReplaceNodes(rewrites.Keys, (original, current) => rewrites[original].Apply(current));
        return document.WithSyntaxRoot(fixedRoot);
    }

    private static InvocationExpressionSyntax? FindInvocation(SyntaxNode root, Diagnostic diagnostic)
    {
        if (diagnostic.AdditionalLocations.Count == 0)
        {
            return null;
        }

        TextSpan span = diagnostic.AdditionalLocations[0].SourceSpan;
        if (!root.FullSpan.Contains(span))
        {
            return null;
        }

        return root.FindNode(span, getInnermostNodeForTie: true)
            .FirstAncestorOrSelf<InvocationExpressionSyntax>(node => node.Span == span);
    }

    /// <summary>The rewrite that the analyzer computed for one call, read from the diagnostic's properties.</summary>
    private sealed class Rewrite
    {
        private readonly HashSet<int> _removed;
        private readonly string[] _argumentParameters;
        private readonly string[] _methodParameters;

        private Rewrite(string method, HashSet<int> removed, string[] argumentParameters, string[] methodParameters)
        {
            Method = method;
            _removed = removed;
            _argumentParameters = argumentParameters;
            _methodParameters = methodParameters;
        }

        public string Method { get; }

        /// <summary>Reads the rewrite from a diagnostic's properties; returns null when the analyzer offered none.</summary>
        public static Rewrite? Read(Diagnostic diagnostic)
        {
            ImmutableDictionary<string, string?> properties = diagnostic.Properties;
            if (!properties.TryGetValue(FixProperties.Method, out string? method) || method is null
                || !properties.TryGetValue(FixProperties.RemovedArguments, out string? removed) || removed is null
                || !properties.TryGetValue(FixProperties.ArgumentParameters, out string? arguments) || arguments is null
                || !properties.TryGetValue(FixProperties.MethodParameters, out string? parameters) || parameters is null)
            {
                return null;
            }

            var indices = new HashSet<int>();
            foreach (string index in removed.Split([','], System.StringSplitOptions.RemoveEmptyEntries))
            {
                if (!int.TryParse(index, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value))
                {
                    return null;
                }

                indices.Add(value);
            }

            return new Rewrite(method, indices, arguments.Split(FixProperties.Separator), parameters.Split(FixProperties.Separator));
        }

        /// <summary>Returns <paramref name="invocation"/> calling <see cref="Method"/> without the removed arguments.</summary>
        public InvocationExpressionSyntax Apply(InvocationExpressionSyntax invocation)
        {
            SeparatedSyntaxList<ArgumentSyntax> arguments = invocation.ArgumentList.Arguments;
            if (arguments.Count != _argumentParameters.Length)
            {
                return invocation;
            }

            List<int> kept = Enumerable.Range(0, arguments.Count).Where(i => !_removed.Contains(i)).ToList();
            SyntaxToken closeParen = invocation.ArgumentList.CloseParenToken;
            var list = new List<SyntaxNodeOrToken>();
            bool nameTheRest = false;
            for (int position = 0; position < kept.Count; position++)
            {
                int index = kept[position];
                ArgumentSyntax argument = arguments[index];
                string parameter = _argumentParameters[index];

                // Positional arguments must still land on their parameter; once one cannot, the rest take names.
                bool inPlace = position < _methodParameters.Length && _methodParameters[position] == parameter;
                if (argument.NameColon is null && (nameTheRest || !inPlace))
                {
                    argument = WithName(argument, parameter);
                }

                nameTheRest |= !inPlace;
                if (position == kept.Count - 1 && index < arguments.SeparatorCount)
                {
                    // The separator after the last kept argument goes; a comment on it stays with the argument.
                    SyntaxTriviaList trailing = arguments.GetSeparator(index).TrailingTrivia;
                    if (trailing.Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia)))
                    {
                        argument = argument.WithTrailingTrivia(argument.GetTrailingTrivia().AddRange(trailing));

                        // The comment ends its line, so ')' starts the next one, indented like the removed argument.
                        if (trailing.Last().IsKind(SyntaxKind.EndOfLineTrivia) && !closeParen.HasLeadingTrivia)
                        {
                            closeParen = closeParen.WithLeadingTrivia(arguments[index + 1].GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
                        }
                    }
                }

                list.Add(argument);
                if (position < kept.Count - 1)
                {
                    list.Add(arguments.GetSeparator(index));
                }
            }

            ArgumentListSyntax argumentList = invocation.ArgumentList
                .WithArguments(SyntaxFactory.SeparatedList<ArgumentSyntax>(list))
                .WithCloseParenToken(closeParen);
            return invocation.WithExpression(Rename(invocation.Expression)).WithArgumentList(argumentList);
        }

        private ExpressionSyntax Rename(ExpressionSyntax expression)
        {
            SimpleNameSyntax? name = expression switch
            {
                SimpleNameSyntax simple => simple,
                MemberAccessExpressionSyntax access => access.Name,
                MemberBindingExpressionSyntax binding => binding.Name,
                _ => null,
            };
            if (name is null)
            {
                return expression;
            }

            SyntaxToken identifier = SyntaxFactory.Identifier(name.Identifier.LeadingTrivia, Method, name.Identifier.TrailingTrivia);
            return expression.ReplaceNode(name, name.WithIdentifier(identifier));
        }

        private static ArgumentSyntax WithName(ArgumentSyntax argument, string parameter)
        {
            string escaped = SyntaxFacts.GetKeywordKind(parameter) != SyntaxKind.None ? "@" + parameter : parameter;
            NameColonSyntax name = SyntaxFactory.NameColon(SyntaxFactory.IdentifierName(escaped))
                .WithLeadingTrivia(argument.GetLeadingTrivia())
                .WithTrailingTrivia(SyntaxFactory.Space);
            return argument.WithoutLeadingTrivia().WithNameColon(name);
        }
    }
}
