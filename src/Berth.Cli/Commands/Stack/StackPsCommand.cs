using Berth.Api.Contracts;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Stack;

/// <summary>
/// <c>berth stack ps STACK</c>: the stack's tasks as docker lists them — named <c>service.slot</c> (or <c>service.node</c>
/// for a global one), in natural name order with the newest of a slot first, older ones indented under it in a table,
/// services and nodes named by asking the daemon once each (<c>--no-resolve</c>: ids).
/// </summary>
public sealed class StackPsCommand : CliCommand
{
    private const string TableIndent = " \\_ ";

    public override string Path => "berth stack ps";

    public override string Arguments => "[OPTIONS] STACK";

    public override string Description => "List the tasks in the stack";

    protected override int MinArguments => 1;

    protected override int MaxArguments => 1;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("filter", 'f', "filter", "Filter output based on conditions provided"),
        new("format", null, "string", "Format output using a custom template:\n'table', 'table TEMPLATE', 'json', or a Go template"),
        new("no-resolve", null, null, "Do not map IDs to Names"),
        new("no-trunc", null, null, "Do not truncate output"),
        new("quiet", 'q', null, "Only display task IDs"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var stack = StackNames.Validate(args.Positionals[0]);
        var quiet = args.IsSet("quiet");
        var format = (args.Last("format") ?? "") switch
        {
            "" or ListFormat.TableKey => quiet ? "{{.ID}}" : StackTaskRow.DefaultTableFormat,
            "raw" => quiet ? "id: {{.ID}}" : StackTaskRow.RawFormat,
            var given => given,
        };
        var template = ListFormat.Parse(format, out var isTable);
        var api = new StackApi(context.Client);
        var tasks = await api.TasksAsync([.. args.All("filter"), StackLabels.Filter(stack)], cancellationToken).ConfigureAwait(false);
        if (tasks.Count == 0)
        {
            throw new StatusException(ExitCodes.Failure, "nothing found in stack: " + stack);
        }

        var resolver = new SwarmNameResolver(api, args.IsSet("no-resolve"));
        var named = new List<(SwarmTask Task, string Name)>();
        foreach (var task in tasks)
        {
            var service = await resolver.ServiceAsync(task.ServiceID ?? "", cancellationToken).ConfigureAwait(false);
            named.Add((task, task.Slot != 0 ? $"{service}.{task.Slot}" : $"{service}.{task.NodeID}"));
        }

        var ordered = named.OrderBy(t => t.Name, NaturalOrder.Instance).ThenByDescending(t => SwarmDisplay.ParseTime(t.Task.CreatedAt)).ToList();
        var rows = new List<StackTaskRow>();
        var now = DateTimeOffset.UtcNow;
        string? previous = null;
        foreach (var (task, name) in ordered)
        {
            var node = await resolver.NodeAsync(task.NodeID ?? "", cancellationToken).ConfigureAwait(false);
            rows.Add(new StackTaskRow(task, name == previous && isTable ? TableIndent + name : name, node, !args.IsSet("no-trunc"), now));
            previous = name;
        }

        await context.Out.WriteAsync(ListFormat.Render(rows, template, isTable, StackTaskRow.Header)).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
