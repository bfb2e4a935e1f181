using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Stack;

/// <summary><c>berth stack ls</c> (<c>list</c>): every service with a namespace label, counted per stack, in natural name order.</summary>
public sealed class StackLsCommand : CliCommand
{
    private const string DefaultTableFormat = "table {{.Name}}\t{{.Services}}";

    public override string Path => "berth stack ls";

    public override string Arguments => "[OPTIONS]";

    public override string Description => "List stacks";

    public override IReadOnlyList<string> Aliases => ["berth stack ls", "berth stack list"];

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("format", null, "string", "Format output using a custom template:\n'table', 'table TEMPLATE', 'json', or a Go template"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var format = args.Last("format") is { Length: > 0 } given and not ListFormat.TableKey ? given : DefaultTableFormat;
        var template = ListFormat.Parse(format, out var isTable);
        var services = await new StackApi(context.Client).ServicesAsync(["label=" + StackLabels.Namespace], status: false, cancellationToken).ConfigureAwait(false);
        var stacks = services.GroupBy(s => s.Spec.Labels?.GetValueOrDefault(StackLabels.Namespace) ?? "", StringComparer.Ordinal)
            .OrderBy(g => g.Key, NaturalOrder.Instance)
            .Select(g => new StackRow(g.Key, g.Count()));
        await context.Out.WriteAsync(ListFormat.Render(stacks, template, isTable, StackRow.Header)).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
