using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Volumes;

/// <summary><c>berth volume ls</c>: one <c>GET /volumes</c>, sorted by name (natural order), printed through docker's formats.</summary>
public sealed class VolumeLsCommand : CliCommand
{
    public const string DefaultTableFormat = "table {{.Driver}}\t{{.Name}}";
    private const string QuietFormat = "{{.Name}}";

    public override string Path => "berth volume ls";

    public override string Arguments => "[OPTIONS]";

    public override string Description => "List volumes";

    public override IReadOnlyList<string> Aliases => ["berth volume ls", "berth volume list"];

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("filter", 'f', "filter", "Provide filter values (e.g. \"dangling=true\")"),
        new("format", null, "string", "Format output using a custom template:\n'table', 'table TEMPLATE', 'json', or a Go template"),
        new("quiet", 'q', null, "Only display volume names"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var template = ListFormat.Parse(FormatFor(args.Last("format") ?? "", args.IsSet("quiet")), out var isTable);
        var filters = KeyValueArguments.FiltersJson(args.All("filter"));
        var path = filters is null ? "/volumes" : "/volumes?filters=" + Uri.EscapeDataString(filters);
        var response = await context.Client.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken).ConfigureAwait(false);
        var list = JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.VolumeListResponse);
        foreach (var warning in list?.Warnings ?? [])
        {
            await context.Err.WriteLineAsync(warning).ConfigureAwait(false);
        }

        await context.Out.WriteAsync(Render(list?.Volumes ?? [], template, isTable)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>docker's <c>NewVolumeFormat</c>: empty and "table" mean the default table, <c>-q</c> only the names.</summary>
    public static string FormatFor(string format, bool quiet) => format switch
    {
        "" or ListFormat.TableKey => quiet ? QuietFormat : DefaultTableFormat,
        "raw" => quiet ? "name: {{.Name}}" : "name: {{.Name}}\\ndriver: {{.Driver}}\\n",
        "json" => ListFormat.JsonFormat,
        _ => format,
    };

    public static string Render(IEnumerable<Volume> volumes, Templates.GoTemplate template, bool isTable) =>
        ListFormat.Render(volumes.OrderBy(v => v.Name, NaturalOrder.Instance).Select(v => new VolumeRow(v)), template, isTable, VolumeHeader.Instance);
}
