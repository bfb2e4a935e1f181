using System.Text;
using System.Text.Json;
using Berth.Cli.Client;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// What run and create do when the image is missing (a 404 from create) or with <c>--pull always</c>: <c>POST /images/create?
/// fromImage=…&amp;tag=…</c>, the progress printed as docker prints it off a terminal (status lines, no progress bars), to stderr.
/// </summary>
public static class ImagePull
{
    public static async Task PullAsync(CommandContext context, string image, CancellationToken cancellationToken)
    {
        var reference = ImageReference.Parse(image);
        var query = "?fromImage=" + Uri.EscapeDataString(reference.Repository) + "&tag=" + Uri.EscapeDataString(reference.TagOrDigest);
        var headers = Registry.RegistryAuthHeader.HeadersForImage(image, context.Environment);
        using var stream = await context.Client.SendStreamingAsync(HttpMethod.Post, "/images/create" + query, null, null, headers, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var message = document.RootElement;
            if (message.TryGetProperty("error", out var error) && error.GetString() is { Length: > 0 } text)
            {
                throw new DaemonErrorException(0, text);
            }

            if (message.TryGetProperty("progressDetail", out var detail) && detail.ValueKind == JsonValueKind.Object && detail.EnumerateObject().Any())
            {
                continue; // progress bars are for terminals
            }

            var id = message.TryGetProperty("id", out var idElement) ? idElement.GetString() : null;
            var status = message.TryGetProperty("status", out var statusElement) ? statusElement.GetString() : null;
            var output = message.TryGetProperty("stream", out var streamElement) ? streamElement.GetString() : null;
            await context.Err.WriteAsync((id is { Length: > 0 } ? id + ": " : "") + (output ?? status + "\n")).ConfigureAwait(false);
        }
    }
}
