using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// <c>berth stop</c> and <c>berth restart</c> (same flags): <c>POST /containers/{c}/stop|restart[?signal=S&amp;t=N]</c> for each.
/// </summary>
public sealed class StopCommand(string path, bool restart = false) : ContainerCommand(path)
{
    public override string Arguments => "[OPTIONS] CONTAINER [CONTAINER...]";

    public override string Description => restart ? "Restart one or more containers" : "Stop one or more running containers";

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("signal", 's', "string", "Signal to send to the container"),
        new("timeout", 't', "int", "Seconds to wait before killing the container"),
    ];

    protected override Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var query = StopQuery(args, Path);
        return ForEachAsync(context, args.Positionals, name => context.Client.SendAsync(HttpMethod.Post, ContainerPath(name, restart ? "/restart" : "/stop") + query, cancellationToken: cancellationToken));
    }

    /// <summary><c>signal</c> and <c>t</c> in Go's sorted query order; <c>-t</c> must be an integer.</summary>
    public static string StopQuery(ParsedArgs args, string path)
    {
        var parts = new List<string>();
        if (args.Last("signal") is { Length: > 0 } signal)
        {
            parts.Add("signal=" + Uri.EscapeDataString(signal));
        }

        if (args.Last("timeout") is { } timeout)
        {
            if (!int.TryParse(timeout, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            {
                throw ArgParser.FlagError(
                    $"invalid argument \"{timeout}\" for \"-t, --timeout\" flag: strconv.ParseInt: parsing \"{timeout}\": invalid syntax", path, $"{path} [OPTIONS] CONTAINER [CONTAINER...]");
            }

            parts.Add("t=" + seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
