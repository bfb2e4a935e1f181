using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Stack;

/// <summary><c>berth stack services STACK</c>: the stack's services (with their replica counts unless <c>-q</c>), in natural name order.</summary>
public sealed class StackServicesCommand : CliCommand
{
    public override string Path => "berth stack services";

    public override string Arguments => "[OPTIONS] STACK";

    public override string Description => "List the services in the stack";

    protected override int MinArguments => 1;

    protected override int MaxArguments => 1;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("filter", 'f', "filter", "Filter output based on conditions provided"),
        new("format", null, "string", "Format output using a custom template:\n'table', 'table TEMPLATE', 'json', or a Go template"),
        new("quiet", 'q', null, "Only display IDs"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var stack = StackNames.Validate(args.Positionals[0]);
        var quiet = args.IsSet("quiet");
        var template = ListFormat.Parse(FormatFor(args.Last("format") ?? "", quiet), out var isTable);
        var services = await new StackApi(context.Client).ServicesAsync([.. args.All("filter"), StackLabels.Filter(stack)], status: !quiet, cancellationToken)
            .ConfigureAwait(false);
        if (services.Count == 0)
        {
            await context.Err.WriteLineAsync("Nothing found in stack: " + stack).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        var rows = services.OrderBy(s => s.Spec.Name ?? "", NaturalOrder.Instance).Select(s => new StackServiceRow(s));
        await context.Out.WriteAsync(ListFormat.Render(rows, template, isTable, StackServiceRow.Header)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>docker's <c>NewListFormat</c> for services.</summary>
    private static string FormatFor(string format, bool quiet) => format switch
    {
        "" or ListFormat.TableKey => quiet ? "{{.ID}}" : StackServiceRow.DefaultTableFormat,
        "raw" => quiet ? "id: {{.ID}}" : StackServiceRow.RawFormat,
        _ => format,
    };
}
