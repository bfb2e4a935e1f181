using Berth.Cli.Client;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands;

/// <summary>
/// One <c>POST /build</c> as the docker CLI's legacy builder sends it: the context directory as a tar
/// (<see cref="BuildContextTar"/>), the query as given, the JSON message stream printed as docker prints it.
/// Used by <c>berth build</c> and <c>berth compose build</c>.
/// </summary>
internal static class ContextBuild
{
    public static async Task RunAsync(CommandContext context, string directory, string dockerfile, IEnumerable<string> query, bool quiet, CancellationToken cancellationToken)
    {
        string tar = Path.GetTempFileName();
        try
        {
            long size = await BuildContextTar.WriteAsync(directory, dockerfile, tar, cancellationToken).ConfigureAwait(false);
            if (!quiet)
            {
                await context.Out.WriteAsync($"Sending build context to Docker daemon  {GoUnits.HumanSize(size)}\n\n").ConfigureAwait(false);
            }

            var body = File.OpenRead(tar);
            await using (body.ConfigureAwait(false))
            {
                using var response = await context.Client.SendStreamingAsync(HttpMethod.Post, "/build?" + string.Join('&', query), body, "application/x-tar", cancellationToken)
                    .ConfigureAwait(false);
                await JsonMessageStream.DisplayAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), context.Out, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        finally
        {
            File.Delete(tar);
        }
    }

    /// <summary>A map query value (<c>buildargs</c>, <c>labels</c>): JSON, URL-escaped.</summary>
    public static string JsonMap(IEnumerable<KeyValuePair<string, string?>> map) =>
        Uri.EscapeDataString(System.Text.Json.JsonSerializer.Serialize(
            map.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), CliJsonContext.Default.DictionaryStringString));
}
