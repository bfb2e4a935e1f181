using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Streams;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// <c>berth logs</c>: inspect first (the Tty setting decides the framing, and the full ID names the logs), then
/// <c>GET /containers/{id}/logs?…</c> streamed to stdout/stderr, to its end or, with <c>-f</c>, until the container stops.
/// </summary>
public sealed class LogsCommand(string path) : ContainerCommand(path)
{
    public override string Arguments => "[OPTIONS] CONTAINER";

    public override string Description => "Fetch the logs of a container";

    protected override int MinArguments => 1;

    protected override int MaxArguments => 1;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("details", null, null, "Show extra details provided to logs"),
        new("follow", 'f', null, "Follow log output"),
        new("since", null, "string", "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"),
        new("tail", 'n', "string", "Number of lines to show from the end of the logs (default \"all\")"),
        new("timestamps", 't', null, "Show timestamps"),
        new("until", null, "string", "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var container = await ContainerInspection.GetAsync(context, args.Positionals[0], cancellationToken).ConfigureAwait(false);
        var query = Query(args, DateTimeOffset.Now);
        using var logs = await context.Client.SendStreamingAsync(HttpMethod.Get, ContainerPath(container.Id, "/logs?" + query), cancellationToken: cancellationToken).ConfigureAwait(false);
        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (container.Tty)
        {
            await FrameDemultiplexer.CopyRawAsync(logs.Body, context.Console.OutBytes, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await FrameDemultiplexer.CopyAsync(logs.Body, context.Console.OutBytes, context.Console.ErrBytes, cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    /// <summary>docker's query in Go's sorted order: details, follow, since, stderr, stdout, tail, timestamps, until.</summary>
    public static string Query(ParsedArgs args, DateTimeOffset now)
    {
        var parts = new List<string>();
        if (args.IsSet("details"))
        {
            parts.Add("details=1");
        }

        if (args.IsSet("follow"))
        {
            parts.Add("follow=1");
        }

        if (args.Last("since") is { Length: > 0 } since)
        {
            parts.Add("since=" + Uri.EscapeDataString(DockerTimestamp.Get(since, now)));
        }

        parts.Add("stderr=1");
        parts.Add("stdout=1");
        parts.Add("tail=" + Uri.EscapeDataString(args.Last("tail") ?? "all"));
        if (args.IsSet("timestamps"))
        {
            parts.Add("timestamps=1");
        }

        if (args.Last("until") is { Length: > 0 } until)
        {
            parts.Add("until=" + Uri.EscapeDataString(DockerTimestamp.Get(until, now)));
        }

        return string.Join('&', parts);
    }
}
