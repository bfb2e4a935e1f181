using System.Text;
using System.Text.Json;
using Berth.Cli.Templates.Nodes;

namespace Berth.Cli.Templates;

/// <summary>Runs a parsed template over a value: JSON elements, <see cref="ITemplateObject"/>s, strings, lists.</summary>
internal sealed class TemplateEvaluator
{
    private readonly string source;
    private readonly bool headerMode;
    private readonly List<(string Name, object? Value)> variables = [];
    private readonly StringBuilder output = new();

    public TemplateEvaluator(string source, object? data, bool headerMode)
    {
        this.source = source;
        this.headerMode = headerMode;
        variables.Add(("$", data));
    }

    public string Run(ListNode root)
    {
        Walk(root, variables[0].Value);
        return output.ToString();
    }

    private void Walk(TemplateNode node, object? dot)
    {
        switch (node)
        {
            case ListNode list:
                foreach (var child in list.Nodes)
                {
                    Walk(child, dot);
                }

                break;
            case TextNode text:
                output.Append(text.Text);
                break;
            case ActionNode action:
                var value = EvalPipeline(action.Pipeline, dot);
                if (action.Pipeline.Variables.Count == 0)
                {
                    output.Append(GoValue.Print(value));
                }

                break;
            case BranchNode branch:
                WalkBranch(branch, dot);
                break;
        }
    }

    private void WalkBranch(BranchNode branch, object? dot)
    {
        var mark = variables.Count;
        try
        {
            if (branch.Kind == BranchKind.Range)
            {
                WalkRange(branch, dot);
                return;
            }

            var value = EvalPipeline(branch.Pipeline, dot);
            if (GoValue.IsTrue(value))
            {
                Walk(branch.List, branch.Kind == BranchKind.With ? value : dot);
            }
            else if (branch.ElseList is not null)
            {
                Walk(branch.ElseList, dot);
            }
        }
        finally
        {
            variables.RemoveRange(mark, variables.Count - mark);
        }
    }

    private void WalkRange(BranchNode branch, object? dot)
    {
        var pipeline = branch.Pipeline;
        var value = EvalPipeline(pipeline with { Variables = [] }, dot);
        var items = GoValue.Unwrap(value) switch
        {
            null => [],
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select((e, i) => ((object?)(long)i, (object?)e)).ToList(),
            JsonElement { ValueKind: JsonValueKind.Object } obj => GoValue.SortedProperties(obj).Select(p => ((object?)p.Key, (object?)p.Value)).ToList(),
            IReadOnlyList<object?> list => list.Select((e, i) => ((object?)(long)i, e)).ToList(),
            var other => throw Fail(pipeline.Position, GoValue.Print(other), $"range can't iterate over {GoValue.Print(other)}"),
        };

        if (items.Count == 0)
        {
            if (branch.ElseList is not null)
            {
                Walk(branch.ElseList, dot);
            }

            return;
        }

        var mark = variables.Count;
        foreach (var (key, item) in items)
        {
            variables.RemoveRange(mark, variables.Count - mark);
            if (pipeline.Variables.Count == 1)
            {
                variables.Add((pipeline.Variables[0], item));
            }
            else if (pipeline.Variables.Count == 2)
            {
                variables.Add((pipeline.Variables[0], key));
                variables.Add((pipeline.Variables[1], item));
            }

            Walk(branch.List, item);
        }
    }

    private object? EvalPipeline(PipelineNode pipeline, object? dot)
    {
        object? value = null;
        var hasValue = false;
        foreach (var command in pipeline.Commands)
        {
            value = EvalCommand(command, dot, value, hasValue);
            hasValue = true;
        }

        foreach (var name in pipeline.Variables)
        {
            if (pipeline.IsAssignment)
            {
                var index = variables.FindLastIndex(v => v.Name == name);
                variables[index] = (name, value);
            }
            else
            {
                variables.Add((name, value));
            }
        }

        return value;
    }

    private object? EvalCommand(CommandNode command, object? dot, object? final, bool hasFinal)
    {
        var first = command.Arguments[0];
        var extra = command.Arguments.Count - 1 + (hasFinal ? 1 : 0);
        switch (first)
        {
            case IdentifierNode function:
                var args = command.Arguments.Skip(1).Select(a => EvalArgument(a, dot)).ToList();
                if (hasFinal)
                {
                    args.Add(final);
                }

                try
                {
                    return TemplateFunctions.Call(function.Name, args, headerMode);
                }
                catch (TemplateFunctionException e)
                {
                    throw Fail(function.Position, function.Name, e.Message);
                }

            case FieldNode field when extra > 0:
                var receiver = ResolveChain(field.Position, field.Source, dot, field.Chain.Take(field.Chain.Count - 1));
                var methodArgs = command.Arguments.Skip(1).Select(a => EvalArgument(a, dot)).ToList();
                if (hasFinal)
                {
                    methodArgs.Add(final);
                }

                var method = field.Chain[^1];
                if (receiver is ITemplateObject obj && obj.TryInvoke(method, methodArgs, out var result))
                {
                    return result;
                }

                throw Fail(field.Position, field.Source, $"can't give argument to non-function {field.Source}");
            default:
                if (extra > 0)
                {
                    throw Fail(first.Position, command.Source, $"can't give argument to non-function {command.Source}");
                }

                return EvalArgument(first, dot);
        }
    }

    private object? EvalArgument(TemplateNode node, object? dot) => node switch
    {
        DotNode => dot,
        LiteralNode literal => literal.Value,
        FieldNode field => ResolveChain(field.Position, field.Source, dot, field.Chain),
        VariableNode variable => ResolveChain(variable.Position, variable.Source, Variable(variable.Name), variable.Chain),
        ChainNode chain => ResolveChain(chain.Position, chain.Source, EvalArgument(chain.Operand, dot), chain.Chain),
        PipelineNode pipeline => EvalPipeline(pipeline, dot),
        IdentifierNode function => EvalCommand(new CommandNode(function.Position, function.Name, [function]), dot, null, hasFinal: false),
        _ => null,
    };

    private object? Variable(string name) => variables.FindLast(v => v.Name == name).Value;

    private object? ResolveChain(int position, string nodeSource, object? value, IEnumerable<string> chain)
    {
        foreach (var name in chain)
        {
            value = GoValue.Unwrap(value) switch
            {
                ITemplateObject obj when obj.TryGetField(name, out var field) => field,
                ITemplateObject obj when obj.TryInvoke(name, [], out var result) => result,
                ITemplateObject obj => throw Fail(position, nodeSource, $"can't evaluate field {name} in type {obj.TypeName}"),
                JsonElement { ValueKind: JsonValueKind.Object } element => element.TryGetProperty(name, out var property)
                    ? property
                    : throw Fail(position, nodeSource, $"map has no entry for key \"{name}\""),
                null => throw Fail(position, nodeSource, $"nil pointer evaluating interface {{}}.{name}"),
                var other => throw Fail(position, nodeSource, $"can't evaluate field {name} in type {TemplateFunctions.TypeName(other)}"),
            };
        }

        return value;
    }

    private TemplateException Fail(int position, string nodeSource, string message)
    {
        var line = TemplateParser.LineOf(source, position);
        var lineStart = source.LastIndexOf('\n', Math.Max(0, position - 1)) + 1;
        if (position == 0)
        {
            lineStart = 0;
        }

        return new TemplateException(
            $"template: :{line}:{position - lineStart}: executing \"\" at <{nodeSource}>: {message}", isParseError: false);
    }
}
