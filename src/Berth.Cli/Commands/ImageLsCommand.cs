using System.Text;
using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth images</c> / <c>berth image ls</c>: one <c>GET /images/json</c>, rows in the daemon's order (newest first),
/// printed through docker's formats. A <c>REPOSITORY[:TAG]</c> argument becomes a <c>reference</c> filter.
/// </summary>
public sealed class ImageLsCommand(string path = "berth image ls") : CliCommand
{
    public const string DefaultTableFormat = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";
    public const string DigestTableFormat = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";
    private const string QuietFormat = "{{.ID}}";

    public override string Path => path;

    public override string Arguments => "[OPTIONS] [REPOSITORY[:TAG]]";

    public override string Description => "List images";

    public override IReadOnlyList<string> Aliases => ["berth image ls", "berth image list", "berth images"];

    protected override int MaxArguments => 1;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("all", 'a', null, "Show all images (default hides intermediate images)"),
        new("digests", null, null, "Show digests"),
        new("filter", 'f', "filter", "Filter output based on conditions provided"),
        new("format", null, "string", "Format output using a custom template:\n'table', 'table TEMPLATE', 'json', or a Go template"),
        new("no-trunc", null, null, "Don't truncate output"),
        new("quiet", 'q', null, "Only show image IDs"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        bool digests = args.IsSet("digests");
        var template = NetworkLsCommand.ParseFormat(FormatFor(args.Last("format") ?? "", args.IsSet("quiet"), digests), out var isTable);
        var filterTerms = args.All("filter").ToList();
        if (args.Positionals.Count == 1)
        {
            filterTerms.Add("reference=" + args.Positionals[0]);
        }

        var filters = KeyValueArguments.FiltersJson(filterTerms);
        var query = (args.IsSet("all") ? "?all=1" : "") + (filters is null ? "" : (args.IsSet("all") ? "&" : "?") + "filters=" + Uri.EscapeDataString(filters));
        var response = await context.Client.SendAsync(HttpMethod.Get, "/images/json" + query, cancellationToken: cancellationToken).ConfigureAwait(false);
        var images = JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.ListImageSummary) ?? [];
        bool needDigest = digests || (args.Last("format") ?? "").Contains("{{.Digest}}", StringComparison.Ordinal);
        var rows = images.SelectMany(i => ImageRow.For(i, needDigest, truncate: !args.IsSet("no-trunc"), DateTimeOffset.UtcNow));
        await context.Out.WriteAsync(Render(rows, template, isTable)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>docker's <c>NewImageFormat</c>: the default table (with a DIGEST column for <c>--digests</c>), or IDs only.</summary>
    public static string FormatFor(string format, bool quiet, bool digests) => format switch
    {
        "" or NetworkLsCommand.TableKey => quiet ? QuietFormat : digests ? DigestTableFormat : DefaultTableFormat,
        "json" => "{{json .}}",
        _ when digests && format.StartsWith(NetworkLsCommand.TableKey, StringComparison.Ordinal) && !format.Contains("{{.Digest}}", StringComparison.Ordinal) => format + "\t{{.Digest}}",
        _ => format,
    };

    /// <summary>Rows through a template; a table gets docker's header and tabwriter columns.</summary>
    public static string Render(IEnumerable<ITemplateObject> rows, GoTemplate template, bool isTable, ITemplateObject? header = null)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append(template.Execute(row)).Append('\n');
        }

        return isTable ? TabWriter.Format(template.ExecuteHeader(header ?? ImageRow.Header) + "\n" + text) : text.ToString();
    }
}
