using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;

namespace Berth.Api.Endpoints;

/// <summary>
/// Docker's attach runs below HTTP: the client sends the attach request on a connection of its own,
/// expects <c>101 UPGRADED</c>, then half-closes its side (no stdin) and keeps reading until the output
/// ends. Kestrel tears an upgraded connection down at that half-close, so this connection middleware
/// answers attach requests itself, on the raw transport, and hands every other connection to Kestrel
/// untouched (the request bytes are only peeked at).
/// </summary>
internal static partial class AttachConnectionHandler
{
    private const int MaxHeaderBytes = 16 * 1024;

    /// <summary>Streams a container's output to <paramref name="output"/>; set by the container routes.</summary>
    public delegate Task StreamOutput(string containerId, bool stdout, bool stderr, bool stdin, Stream output);

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(Func<StreamOutput?> handler) => next => async connection =>
    {
        var input = connection.Transport.Input;
        ReadResult read;
        while (true)
        {
            read = await input.ReadAsync(connection.ConnectionClosed);
            var buffer = read.Buffer;
            long end = FindHeaderEnd(buffer);
            if (end >= 0 || read.IsCompleted || buffer.Length > MaxHeaderBytes)
            {
                string head = Encoding.ASCII.GetString(buffer.Slice(0, end >= 0 ? end : Math.Min(buffer.Length, MaxHeaderBytes)).ToArray());
                var match = AttachRequest().Match(head);
                if (end >= 0 && match.Success && handler() is { } stream)
                {
                    input.AdvanceTo(buffer.GetPosition(end + 4));
                    await RespondAsync(connection, match, stream);
                    return;
                }

                // Not an attach: leave every byte for Kestrel.
                input.AdvanceTo(buffer.Start);
                break;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }

        await next(connection);
    };

    private static async Task RespondAsync(ConnectionContext connection, Match match, StreamOutput stream)
    {
        string id = Uri.UnescapeDataString(match.Groups["id"].Value);
        string query = match.Groups["query"].Value;
        bool Flag(string name) => Regex.IsMatch(query, $@"(^|&){name}=(1|true|True)(&|$)");
        var output = connection.Transport.Output;
        await output.WriteAsync("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"u8.ToArray());
        await using var body = output.AsStream(leaveOpen: true);
        await stream(id, Flag("stdout"), Flag("stderr"), Flag("stdin"), body);
        await output.CompleteAsync();
    }

    private static long FindHeaderEnd(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8, advancePastDelimiter: false) ? head.Length : -1;
    }

    [GeneratedRegex(@"^POST (/v1\.\d+)?/containers/(?<id>[^/?\s]+)/attach\??(?<query>\S*) HTTP/1\.1\r\n", RegexOptions.CultureInvariant)]
    private static partial Regex AttachRequest();
}
