using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Streams;

namespace Berth.Cli.Client;

/// <summary>
/// Prints a JSON message stream the way docker's <c>jsonmessage.DisplayJSONMessagesStream</c> does when the output is not
/// a terminal: <c>stream</c> text as it is, <c>id: status</c> lines, progress-bar updates left out, an <c>error</c> thrown.
/// </summary>
public static class JsonMessageStream
{
    public static async Task DisplayAsync(Stream body, TextWriter output, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var message = JsonSerializer.Deserialize(line, DockerJsonContext.Default.JsonMessage);
            if (message is null)
            {
                continue;
            }

            if (message.Error is { } error)
            {
                throw new StreamErrorException(message.ErrorDetail?.Message is { Length: > 0 } detail ? detail : error);
            }

            // A message with none of these (a build's {"aux":{"ID":…}}) prints nothing, as in docker without an aux callback.
            if (message.Stream is null && message.Status is null && message.Id is null)
            {
                continue;
            }

            if (message.ProgressDetail is { } progress && (progress.Current > 0 || progress.Total > 0) && message.Stream is null)
            {
                continue;
            }

            var text = (message.Id is { Length: > 0 } id ? id + ": " : "") + (message.Stream ?? message.Status + "\n");
            await output.WriteAsync(text).ConfigureAwait(false);
        }
    }
}
