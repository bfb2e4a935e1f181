using System.Text.Json;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// <c>berth ps</c>: one <c>GET /containers/json[?all=1&amp;filters=…&amp;limit=N&amp;size=1]</c>, printed in the daemon's order
/// through docker's formats (the default table: CONTAINER ID, IMAGE, COMMAND, CREATED, STATUS, PORTS, NAMES).
/// </summary>
public sealed class PsCommand(string path) : ContainerCommand(path)
{
    public const string DefaultTableFormat = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    private const string QuietFormat = "{{.ID}}";
    private const string RawFormat = "container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\nstate: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\nlabels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n";

    public override string Arguments => "[OPTIONS]";

    public override string Description => "List containers";

    public override IReadOnlyList<string> Aliases => ["berth container ls", "berth container list", "berth container ps", "berth ps"];

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("all", 'a', null, "Show all containers (default shows just running)"),
        new("filter", 'f', "filter", "Filter output based on conditions provided"),
        new("format", null, "string", "Format output using a custom template:\n'table', 'table TEMPLATE', 'json', or a Go template"),
        new("last", 'n', "int", "Show n last created containers (includes all states) (default -1)"),
        new("latest", 'l', null, "Show the latest created container (includes all states)"),
        new("no-trunc", null, null, "Don't truncate output"),
        new("quiet", 'q', null, "Only display container IDs"),
        new("size", 's', null, "Display total file sizes"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var quiet = args.IsSet("quiet");
        var size = args.IsSet("size");
        var given = args.Last("format") ?? "";
        if (given.Length > 0 && !quiet && !args.Has("size") && UsesSize(given))
        {
            size = true;
        }

        var template = ListFormat.Parse(FormatFor(given, quiet, size), out var isTable);
        var query = Query(args, size);
        var response = await context.Client.SendAsync(HttpMethod.Get, "/containers/json" + query, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(response.Body);
        var now = DateTimeOffset.UtcNow;
        var rows = document.RootElement.EnumerateArray().Select(c => new ContainerRow(c, truncate: !args.IsSet("no-trunc"), now)).ToList();
        await context.Out.WriteAsync(ListFormat.Render(rows, template, isTable, ContainerHeader.Instance)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>docker's <c>NewContainerFormat</c>.</summary>
    public static string FormatFor(string format, bool quiet, bool size) => format switch
    {
        "" or ListFormat.TableKey => quiet ? QuietFormat : DefaultTableFormat + (size ? "\t{{.Size}}" : ""),
        "raw" => quiet ? "container_id: {{.ID}}" : RawFormat + (size ? "size: {{.Size}}\n" : ""),
        _ => quiet ? QuietFormat : format,
    };

    /// <summary>docker runs the given format once over an empty row and asks for sizes if it touched <c>.Size</c>.</summary>
    private static bool UsesSize(string format)
    {
        using var empty = JsonDocument.Parse("{}");
        var probe = new ContainerRow(empty.RootElement, truncate: true, DateTimeOffset.UnixEpoch);
        try
        {
            GoTemplate.Parse(format).Execute(probe);
        }
        catch (TemplateException)
        {
            // The real run reports it.
        }

        return probe.FieldsUsed.Contains("Size");
    }

    /// <summary><c>all</c>, <c>filters</c>, <c>limit</c>, <c>size</c> in Go's sorted order; <c>-l</c> is <c>limit=1</c>.</summary>
    private string Query(ParsedArgs args, bool size)
    {
        var parts = new List<string>();
        if (args.IsSet("all"))
        {
            parts.Add("all=1");
        }

        if (KeyValueArguments.FiltersJson(args.All("filter")) is { } filters)
        {
            parts.Add("filters=" + Uri.EscapeDataString(filters));
        }

        var limit = -1;
        if (args.Last("last") is { } last && !int.TryParse(last, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out limit))
        {
            throw ArgParser.FlagError($"invalid argument \"{last}\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"{last}\": invalid syntax", Path, Usage);
        }

        if (args.IsSet("latest") && limit == -1)
        {
            limit = 1;
        }

        if (limit > 0)
        {
            parts.Add("limit=" + limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (size)
        {
            parts.Add("size=1");
        }

        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
