using System.Text;
using System.Text.Json;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Compose.Model;
using Berth.Compose.Planning;
using ContainerRow = Berth.Cli.Commands.Containers.ContainerRow;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>berth compose ps [SERVICE…]</c>: the project's containers (running ones; <c>-a</c> all) in docker compose's table —
/// NAME, IMAGE, COMMAND, SERVICE, CREATED, STATUS, PORTS — with docker's cell formats; <c>-q</c> ids, <c>--services</c> names.
/// </summary>
public sealed class ComposePsCommand(IComposeProjectSource source) : ComposeCommand(source)
{
    public override string Name => "ps";

    public override string Arguments => "[OPTIONS] [SERVICE...]";

    public override string Description => "List containers";

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("all", 'a', null, "Show all stopped containers (including those created by the run command)"),
        new("quiet", 'q', null, "Only display IDs"),
        new("services", null, null, "Display services"),
    ];

    protected override async Task<int> RunAsync(CommandContext context, ComposeEngine engine, ComposeProject project, ParsedArgs args, CancellationToken cancellationToken)
    {
        ComposeEngine.CheckServices(project, args.Positionals);
        var all = args.IsSet("all");
        var filters = Uri.EscapeDataString(ProjectPlan.ContainerFilter(project.Name, all ? null : false));
        var response = await context.Client.SendAsync(HttpMethod.Get, "/containers/json?all=1&filters=" + filters, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(response.Body);
        var containers = document.RootElement.EnumerateArray()
            .Select(c => (Element: c, Service: Label(c, ComposeLabels.Service), Name: c.GetProperty("Names")[0].GetString()!.TrimStart('/')))
            .Where(c => args.Positionals.Count == 0 || args.Positionals.Contains(c.Service))
            .Where(c => all || c.Element.GetProperty("State").GetString() is "running" or "restarting")
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();

        if (args.IsSet("quiet"))
        {
            foreach (var container in containers)
            {
                await context.Out.WriteLineAsync(container.Element.GetProperty("Id").GetString()).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }

        if (args.IsSet("services"))
        {
            foreach (var service in containers.Select(c => c.Service).Distinct(StringComparer.Ordinal))
            {
                await context.Out.WriteLineAsync(service).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }

        var now = DateTimeOffset.UtcNow;
        var table = new StringBuilder("NAME\tIMAGE\tCOMMAND\tSERVICE\tCREATED\tSTATUS\tPORTS");
        foreach (var (element, service, name) in containers)
        {
            var row = new ContainerRow(element, truncate: true, now);
            table.Append('\n').AppendJoin('\t', name, Field(row, "Image"), Field(row, "Command"), service, Field(row, "RunningFor"), Field(row, "Status"), Field(row, "Ports"));
        }

        await context.Out.WriteAsync(TabWriter.Format(table.ToString()) + "\n").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static string Field(ContainerRow row, string name) => row.TryGetField(name, out var value) ? value as string ?? "" : "";

    private static string Label(JsonElement container, string key) =>
        container.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object && labels.TryGetProperty(key, out var value) ? value.GetString() ?? "" : "";
}
