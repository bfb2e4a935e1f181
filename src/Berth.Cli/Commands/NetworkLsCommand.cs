using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary><c>berth network ls</c>: one <c>GET /networks</c>, sorted by name, printed through docker's formats.</summary>
public sealed class NetworkLsCommand : CliCommand
{
    public const string TableKey = "table";
    public const string DefaultTableFormat = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";
    private const string QuietFormat = "{{.ID}}";
    private const string RawFormat = "network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n";
    private const string JsonFormat = "{{json .}}";

    public override string Path => "berth network ls";

    public override string Arguments => "[OPTIONS]";

    public override string Description => "List networks";

    public override IReadOnlyList<string> Aliases => ["berth network ls", "berth network list"];

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("filter", 'f', "filter", "Provide filter values (e.g. \"driver=bridge\")"),
        new("format", null, "string", "Format output using a custom template:\n'table', 'table TEMPLATE', 'json', or a Go template"),
        new("no-trunc", null, null, "Do not truncate the output"),
        new("quiet", 'q', null, "Only display network IDs"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var format = FormatFor(args.Last("format") ?? "", args.IsSet("quiet"));
        var template = ParseFormat(format, out var isTable);
        var filters = KeyValueArguments.FiltersJson(args.All("filter"));
        var path = filters is null ? "/networks" : "/networks?filters=" + Uri.EscapeDataString(filters);
        var response = await context.Client.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken).ConfigureAwait(false);
        var networks = JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.ListNetwork) ?? [];
        await context.Out.WriteAsync(Render(networks, template, isTable, truncate: !args.IsSet("no-trunc"))).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>docker's <c>NewNetworkFormat</c>: empty and "table" mean the default table, <c>-q</c> only the IDs.</summary>
    public static string FormatFor(string format, bool quiet) => format switch
    {
        "" or TableKey => quiet ? QuietFormat : DefaultTableFormat,
        "raw" => quiet ? "network_id: {{.ID}}" : RawFormat,
        "json" => JsonFormat,
        _ => format,
    };

    /// <summary>Strips the "table" prefix and turns <c>\t</c> and <c>\n</c> into tabs and newlines, as docker does.</summary>
    public static GoTemplate ParseFormat(string format, out bool isTable) => ListFormat.Parse(format, out isTable);

    public static string Render(IEnumerable<Network> networks, GoTemplate template, bool isTable, bool truncate) =>
        ListFormat.Render(networks.OrderBy(n => n.Name, NaturalOrder.Instance).Select(n => new NetworkRow(n, truncate)), template, isTable, NetworkHeader.Instance);
}
