using System.Globalization;
using Berth.Cli.Templates.Nodes;

namespace Berth.Cli.Templates;

/// <summary>
/// Parses Go text/template syntax: text, <c>{{pipeline}}</c>, <c>{{if}}/{{else if}}/{{else}}/{{end}}</c>, <c>{{range}}</c>,
/// <c>{{with}}</c>, variables (<c>$x := ...</c>, <c>range $k, $v := ...</c>), trim markers (<c>{{- -}}</c>) and comments.
/// Error text follows Go's (<c>template: :1: unclosed action</c>) because docker users grep for it.
/// </summary>
public sealed class TemplateParser
{
    private const string Open = "{{";
    private const string Close = "}}";

    private static readonly HashSet<string> Keywords = ["if", "range", "with", "else", "end", "define", "template", "block", "break", "continue"];

    private readonly string template;
    private readonly Func<string, bool> isFunction;
    private readonly Stack<HashSet<string>> variables = new();
    private int position;

    private TemplateParser(string template, Func<string, bool> isFunction)
    {
        this.template = template;
        this.isFunction = isFunction;
    }

    public static ListNode Parse(string template, Func<string, bool> isFunction)
    {
        var parser = new TemplateParser(template, isFunction);
        parser.variables.Push(["$"]);
        var (list, terminator, terminatorPosition) = parser.ParseList();
        if (terminator is not null)
        {
            throw parser.Error(terminatorPosition, $"unexpected {{{{{terminator}}}}}");
        }

        return list;
    }

    public static int LineOf(string text, int position)
    {
        var line = 1;
        for (var i = 0; i < position && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    /// <summary>Parses nodes until the end of input (terminator null) or an <c>{{else ...}}</c>/<c>{{end}}</c> action.</summary>
    private (ListNode List, string? Terminator, int TerminatorPosition) ParseList()
    {
        var list = new ListNode(position, []);
        while (true)
        {
            var open = template.IndexOf(Open, position, StringComparison.Ordinal);
            if (open < 0)
            {
                AddText(list, template[position..]);
                position = template.Length;
                return (list, null, position);
            }

            var actionStart = open + Open.Length;
            var text = template[position..open];
            if (actionStart + 1 < template.Length && template[actionStart] == '-' && char.IsWhiteSpace(template[actionStart + 1]))
            {
                text = text.TrimEnd();
                actionStart += 2;
            }

            AddText(list, text);
            var (contentEnd, next) = FindClose(open, actionStart);
            position = next;
            if (ParseAction(list, actionStart, contentEnd) is { } terminator)
            {
                return (list, terminator, actionStart);
            }
        }
    }

    private static void AddText(ListNode list, string text)
    {
        if (text.Length > 0)
        {
            list.Nodes.Add(new TextNode(0, text));
        }
    }

    /// <summary>Returns where the action's content ends and where the text after <c>}}</c> (and any right trim) starts.</summary>
    private (int ContentEnd, int Next) FindClose(int open, int actionStart)
    {
        var i = actionStart;
        var trimmed = template.AsSpan(actionStart).TrimStart();
        if (trimmed.StartsWith("/*"))
        {
            var commentEnd = template.IndexOf("*/", actionStart, StringComparison.Ordinal);
            if (commentEnd < 0)
            {
                throw Error(open, "unclosed comment");
            }

            i = commentEnd + 2;
        }

        while (i < template.Length)
        {
            var c = template[i];
            if (c is '"' or '`')
            {
                i = TemplateLexer.SkipString(template, i, template.Length);
                continue;
            }

            if (c == '}' && i + 1 < template.Length && template[i + 1] == '}')
            {
                var contentEnd = i;
                var next = i + Close.Length;
                if (contentEnd - 2 >= actionStart && template[contentEnd - 1] == '-' && char.IsWhiteSpace(template[contentEnd - 2]))
                {
                    contentEnd -= 2;
                    while (next < template.Length && char.IsWhiteSpace(template[next]))
                    {
                        next++;
                    }
                }

                return (contentEnd, next);
            }

            if (c == '\n' && !IsInsideParens(actionStart, i))
            {
                break;
            }

            i++;
        }

        throw Error(open, "unclosed action");
    }

    private bool IsInsideParens(int start, int end)
    {
        var depth = 0;
        for (var i = start; i < end; i++)
        {
            depth += template[i] == '(' ? 1 : template[i] == ')' ? -1 : 0;
        }

        return depth > 0;
    }

    /// <summary>Adds the action to the list, or returns "end", "else" or "else if" for the caller to handle.</summary>
    private string? ParseAction(ListNode list, int start, int end)
    {
        if (template.AsSpan(start, end - start).TrimStart().StartsWith("/*"))
        {
            return null;
        }

        var tokens = TemplateLexer.Tokenize(template, start, end);
        if (tokens.Count == 0)
        {
            throw Error(start, "missing value for command");
        }

        var first = tokens[0];
        if (first.Kind == TemplateTokenKind.Identifier && Keywords.Contains(first.Text))
        {
            switch (first.Text)
            {
                case "end":
                    if (tokens.Count > 1)
                    {
                        throw Error(start, $"unexpected {Describe(tokens[1])} in end");
                    }

                    return "end";
                case "else":
                    if (tokens.Count > 1 && tokens[1] is { Kind: TemplateTokenKind.Identifier, Text: "if" or "with" })
                    {
                        // Re-parsed by the enclosing branch: {{else if x}} is {{else}}{{if x}}...{{end}}.
                        pendingElseBranch = (tokens[1].Text, tokens.GetRange(2, tokens.Count - 2), tokens[1].Position);
                        return "else if";
                    }

                    if (tokens.Count > 1)
                    {
                        throw Error(start, $"unexpected {Describe(tokens[1])} in else");
                    }

                    return "else";
                case "if":
                case "range":
                case "with":
                    list.Nodes.Add(ParseBranch(first.Text, tokens.GetRange(1, tokens.Count - 1), first.Position));
                    return null;
                default:
                    throw Error(start, $"{{{{{first.Text}}}}} is not supported by berth's templates");
            }
        }

        var index = 0;
        var pipeline = ParsePipeline(tokens, ref index, allowDeclaration: true);
        if (index != tokens.Count)
        {
            throw Error(tokens[index].Position, $"unexpected {Describe(tokens[index])} in command");
        }

        list.Nodes.Add(new ActionNode(start, pipeline));
        return null;
    }

    private (string Keyword, List<TemplateToken> Tokens, int Position)? pendingElseBranch;

    private BranchNode ParseBranch(string keyword, List<TemplateToken> tokens, int at)
    {
        var kind = keyword switch
        {
            "if" => BranchKind.If,
            "range" => BranchKind.Range,
            _ => BranchKind.With,
        };
        if (tokens.Count == 0)
        {
            throw Error(at, $"missing value for {keyword}");
        }

        variables.Push([]);
        var index = 0;
        var pipeline = ParsePipeline(tokens, ref index, allowDeclaration: true, allowTwoVariables: kind == BranchKind.Range);
        if (index != tokens.Count)
        {
            throw Error(tokens[index].Position, $"unexpected {Describe(tokens[index])} in {keyword}");
        }

        var (list, terminator, terminatorPosition) = ParseList();
        ListNode? elseList = null;
        if (terminator == "else")
        {
            (elseList, terminator, terminatorPosition) = ParseList();
            if (terminator != "end")
            {
                throw terminator is null ? Error(template.Length, "unexpected EOF") : Error(terminatorPosition, $"unexpected {{{{{terminator}}}}}");
            }
        }
        else if (terminator == "else if")
        {
            var (elseKeyword, elseTokens, elsePosition) = pendingElseBranch!.Value;
            pendingElseBranch = null;

            // The nested branch consumes the shared {{end}}.
            elseList = new ListNode(elsePosition, [ParseBranch(elseKeyword, elseTokens, elsePosition)]);
            terminator = "end";
        }

        variables.Pop();
        if (terminator is null)
        {
            throw Error(template.Length, "unexpected EOF");
        }

        return new BranchNode(at, kind, pipeline, list, elseList);
    }

    private PipelineNode ParsePipeline(List<TemplateToken> tokens, ref int index, bool allowDeclaration, bool allowTwoVariables = false)
    {
        var start = index < tokens.Count ? tokens[index].Position : 0;
        var declared = new List<string>();
        var isAssignment = false;
        if (allowDeclaration && index < tokens.Count && tokens[index].Kind == TemplateTokenKind.Variable)
        {
            var look = index;
            var names = new List<string> { tokens[look++].Text };
            if (allowTwoVariables && look + 1 < tokens.Count && tokens[look].Kind == TemplateTokenKind.Comma && tokens[look + 1].Kind == TemplateTokenKind.Variable)
            {
                names.Add(tokens[look + 1].Text);
                look += 2;
            }

            if (look < tokens.Count && tokens[look].Kind is TemplateTokenKind.Declare or TemplateTokenKind.Assign)
            {
                isAssignment = tokens[look].Kind == TemplateTokenKind.Assign;
                foreach (var name in names)
                {
                    if (isAssignment)
                    {
                        RequireVariable(name, tokens[index].Position);
                    }
                    else
                    {
                        variables.Peek().Add(name);
                    }
                }

                declared = names;
                index = look + 1;
            }
        }

        var commands = new List<CommandNode>();
        while (true)
        {
            commands.Add(ParseCommand(tokens, ref index));
            if (index < tokens.Count && tokens[index].Kind == TemplateTokenKind.Pipe)
            {
                index++;
                continue;
            }

            break;
        }

        return new PipelineNode(start, declared, isAssignment, commands);
    }

    private CommandNode ParseCommand(List<TemplateToken> tokens, ref int index)
    {
        var arguments = new List<TemplateNode>();
        var start = index < tokens.Count ? tokens[index].Position : template.Length;
        var sourceEnd = start;
        while (index < tokens.Count && tokens[index].Kind is not (TemplateTokenKind.Pipe or TemplateTokenKind.RightParen))
        {
            var operand = ParseOperand(tokens, ref index);
            arguments.Add(operand);
            sourceEnd = tokens[index - 1].Position + tokens[index - 1].Text.Length;
        }

        if (arguments.Count == 0)
        {
            throw Error(start, "missing value for command");
        }

        return new CommandNode(start, template[start..sourceEnd], arguments);
    }

    private TemplateNode ParseOperand(List<TemplateToken> tokens, ref int index)
    {
        var token = tokens[index++];
        TemplateNode node;
        switch (token.Kind)
        {
            case TemplateTokenKind.Dot:
                node = new DotNode(token.Position);
                break;
            case TemplateTokenKind.Field:
                node = new FieldNode(token.Position, token.Text, [token.Text[1..]]);
                break;
            case TemplateTokenKind.Variable:
                RequireVariable(token.Text, token.Position);
                node = new VariableNode(token.Position, token.Text, token.Text, []);
                break;
            case TemplateTokenKind.String:
                node = new LiteralNode(token.Position, token.Text, TemplateLexer.Unquote(token.Text, template, token.Position));
                break;
            case TemplateTokenKind.Number:
                node = new LiteralNode(token.Position, token.Text, ParseNumber(token));
                break;
            case TemplateTokenKind.Identifier when token.Text is "true" or "false":
                node = new LiteralNode(token.Position, token.Text, token.Text == "true");
                break;
            case TemplateTokenKind.Identifier when token.Text == "nil":
                node = new LiteralNode(token.Position, token.Text, null);
                break;
            case TemplateTokenKind.Identifier:
                if (Keywords.Contains(token.Text) || !isFunction(token.Text))
                {
                    throw Error(token.Position, $"function \"{token.Text}\" not defined");
                }

                node = new IdentifierNode(token.Position, token.Text);
                break;
            case TemplateTokenKind.LeftParen:
                var pipeline = ParsePipeline(tokens, ref index, allowDeclaration: false);
                if (index >= tokens.Count || tokens[index].Kind != TemplateTokenKind.RightParen)
                {
                    throw Error(token.Position, "unclosed left paren");
                }

                index++;
                node = pipeline;
                break;
            default:
                throw Error(token.Position, $"unexpected {Describe(token)} in operand");
        }

        // A field directly after an operand continues it: .A.B, $x.A, (pipeline).A.
        var chain = new List<string>();
        var end = token.Position + token.Text.Length;
        while (index < tokens.Count && tokens[index].Kind == TemplateTokenKind.Field && !tokens[index].Spaced)
        {
            chain.Add(tokens[index].Text[1..]);
            end = tokens[index].Position + tokens[index].Text.Length;
            index++;
        }

        if (chain.Count == 0)
        {
            return node;
        }

        var source = template[node.Position..end];
        return node switch
        {
            FieldNode field => new FieldNode(field.Position, source, [.. field.Chain, .. chain]),
            VariableNode variable => new VariableNode(variable.Position, source, variable.Name, chain),
            LiteralNode or IdentifierNode or DotNode => throw Error(token.Position, $"unexpected . after term {Describe(token)}"),
            _ => new ChainNode(node.Position, source, node, chain),
        };
    }

    private object ParseNumber(TemplateToken token)
    {
        if (long.TryParse(token.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        if (double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return real;
        }

        throw Error(token.Position, $"bad number syntax: \"{token.Text}\"");
    }

    private void RequireVariable(string name, int at)
    {
        foreach (var scope in variables)
        {
            if (scope.Contains(name))
            {
                return;
            }
        }

        throw Error(at, $"undefined variable \"{name}\"");
    }

    private static string Describe(TemplateToken token) => token.Kind switch
    {
        TemplateTokenKind.String or TemplateTokenKind.Number => $"{token.Kind.ToString().ToLowerInvariant()} {token.Text}",
        _ => $"<{token.Text}>",
    };

    private TemplateException Error(int at, string message) =>
        new($"template: :{LineOf(template, at)}: {message}", isParseError: true);
}
