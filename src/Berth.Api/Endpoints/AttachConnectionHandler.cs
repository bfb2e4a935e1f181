using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.RegularExpressions;
using Berth.Api.Http;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.WebUtilities;

namespace Berth.Api.Endpoints;

/// <summary>
/// Docker's attach runs below HTTP: the client sends the attach request on a connection of its own,
/// expects <c>101 UPGRADED</c>, then sends stdin raw (if any) and half-closes its side at the end of it,
/// and keeps reading until the output ends. Kestrel tears an upgraded connection down at that
/// half-close, so this connection middleware answers attach requests itself, on the raw transport, and
/// hands every other connection to Kestrel untouched (the request bytes are only peeked at).
/// </summary>
internal static partial class AttachConnectionHandler
{
    private const int MaxHeaderBytes = 16 * 1024;

    /// <summary>
    /// Runs one attach: the client's bytes after the request (its stdin; a read of 0 is its half-close)
    /// in <paramref name="input"/>, the container's output to <paramref name="output"/>. Set by the container routes.
    /// </summary>
    public delegate Task AttachSession(string containerId, AttachRequest request, Stream input, Stream output);

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(Func<AttachSession?> handler) => next => async connection =>
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
                if (end >= 0 && match.Success && handler() is { } session)
                {
                    input.AdvanceTo(buffer.GetPosition(end + 4));
                    await RespondAsync(connection, match, session);
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

    private static async Task RespondAsync(ConnectionContext connection, Match match, AttachSession session)
    {
        string id = Uri.UnescapeDataString(match.Groups["id"].Value);
        var query = QueryHelpers.ParseQuery(match.Groups["query"].Value);
        bool Flag(string name) => QueryBool.Parse(query.TryGetValue(name, out var value) ? value.ToString() : null);
        var request = new AttachRequest(Stdin: Flag("stdin"), Stdout: Flag("stdout"), Stderr: Flag("stderr"), Logs: Flag("logs"),
            DetachKeys: query.TryGetValue("detachKeys", out var keys) ? keys.ToString() : "");
        var output = connection.Transport.Output;
        await output.WriteAsync("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"u8.ToArray());
        await using var input = connection.Transport.Input.AsStream(leaveOpen: true);
        await using var body = output.AsStream(leaveOpen: true);
        await session(id, request, input, body);
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
