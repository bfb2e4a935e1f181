using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth history IMAGE</c>: <c>GET /images/{name}/history</c> as docker's table (IMAGE CREATED CREATED BY SIZE COMMENT).</summary>
public sealed class ImageHistoryCommand(string path = "berth image history") : CliCommand
{
    private const string DefaultTableFormat = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    private const string NonHumanTableFormat = "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";

    public override string Path => path;

    public override string Arguments => "[OPTIONS] IMAGE";

    public override string Description => "Show the history of an image";

    public override IReadOnlyList<string> Aliases => ["berth image history", "berth history"];

    protected override int MinArguments => 1;

    protected override int MaxArguments => 1;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("format", null, "string", "Format output using a custom template:\n'table', 'table TEMPLATE', 'json', or a Go template"),
        new("human", 'H', null, "Print sizes and dates in human readable format (default true)"),
        new("no-trunc", null, null, "Don't truncate output"),
        new("quiet", 'q', null, "Only show image IDs"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        bool human = args.Last("human") is not "false";
        var format = (args.Last("format") ?? "") switch
        {
            "" or NetworkLsCommand.TableKey => args.IsSet("quiet") ? "{{.ID}}" : human ? DefaultTableFormat : NonHumanTableFormat,
            "json" => "{{json .}}",
            var other => other,
        };
        var template = NetworkLsCommand.ParseFormat(format, out var isTable);
        var response = await context.Client.SendAsync(HttpMethod.Get, ImagePath.Of(args.Positionals[0], "history"), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var items = JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.ListImageHistoryItem) ?? [];
        var now = DateTimeOffset.UtcNow;
        var rows = items.Select(i => new HistoryRow(i, truncate: !args.IsSet("no-trunc"), human, now));
        await context.Out.WriteAsync(ImageLsCommand.Render(rows, template, isTable, HistoryRow.Header)).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
