using System.Text;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Diagnostics;

/// <summary>
/// <c>berth topology [--format text|svg|html|json]</c>: the host's networks as the guide draws them, taken by berthd
/// (<c>GET /berth/topology</c>) and printed as it rendered them. SVG and HTML are whole documents on stdout, so
/// <c>berth topology --format html &gt; topology.html</c> makes a page to open in a browser.
/// </summary>
public sealed class TopologyCommand : CliCommand
{
    private static readonly string[] Formats = ["text", "svg", "html", "json"];

    public override string Path => "berth topology";

    public override string Arguments => "[OPTIONS]";

    public override string Description => "Show the host's networks, containers, published ports and swarm as a tree, a drawing or JSON";

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("format", null, "string", "Output format: 'text' (a tree, the default), 'svg' (a drawing), 'html' (a page with the drawing and tables) or 'json'"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        string format = args.Last("format") is { Length: > 0 } given ? given : "text";
        if (!Formats.Contains(format, StringComparer.Ordinal))
        {
            throw new ArgumentException($"invalid --format \"{format}\": use {string.Join(", ", Formats[..^1])} or {Formats[^1]}");
        }

        var response = await context.Client.SendAsync(HttpMethod.Get, "/berth/topology?format=" + format, cancellationToken: cancellationToken).ConfigureAwait(false);
        await context.Out.WriteAsync(Encoding.UTF8.GetString(response.Body)).ConfigureAwait(false);
        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
