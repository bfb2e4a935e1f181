using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary>
/// What every <c>prune</c> command does before it prints: ask (unless <c>-f</c>) with docker's warning, then
/// <c>POST PATH/prune?filters=…</c> with the <c>--filter</c> values (and any the command adds).
/// </summary>
public static class PruneRequest
{
    public static FlagSpec FilterFlag { get; } = new("filter", null, "filter", "Provide filter values (e.g. \"until=<timestamp>\")");

    public static FlagSpec ForceFlag { get; } = new("force", 'f', null, "Do not prompt for confirmation");

    /// <summary>The daemon's answer, or null when the user said no.</summary>
    public static async Task<byte[]?> SendAsync(
        CommandContext context, ParsedArgs args, string path, string warning, IEnumerable<string> extraFilters, CancellationToken cancellationToken)
    {
        if (!args.IsSet("force"))
        {
            await context.Out.WriteAsync(warning).ConfigureAwait(false);
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            var answer = (await context.In.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim();
            if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        var filters = KeyValueArguments.FiltersJson([.. args.All("filter"), .. extraFilters]);
        var response = await context.Client.SendAsync(HttpMethod.Post, path + (filters is null ? "" : "?filters=" + Uri.EscapeDataString(filters)), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return response.Body;
    }

    /// <summary>
    /// docker's prune report: <c>Deleted THINGS:</c>, a line each and a blank line when anything went (the space
    /// counted only then), then <c>Total reclaimed space: SIZE</c>.
    /// </summary>
    public static string Report(string heading, IReadOnlyList<string> deleted, double reclaimed)
    {
        var text = new System.Text.StringBuilder();
        if (deleted.Count > 0)
        {
            text.Append(heading).Append(":\n");
            foreach (var line in deleted)
            {
                text.Append(line).Append('\n');
            }

            text.Append('\n');
        }

        return text.Append("Total reclaimed space: ").Append(Formatting.GoUnits.HumanSize(deleted.Count > 0 ? reclaimed : 0)).Append('\n').ToString();
    }
}
