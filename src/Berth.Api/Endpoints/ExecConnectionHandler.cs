using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Api.Versioning;
using Microsoft.AspNetCore.Connections;

namespace Berth.Api.Endpoints;

/// <summary>
/// An attached <c>POST /exec/{id}/start</c> (sent with <c>Upgrade: tcp</c>) answered on the raw connection,
/// for the reason <see cref="AttachConnectionHandler"/> gives: the client half-closes when its stdin ends and
/// Kestrel would tear the upgraded connection down then, while the exec's output must keep flowing. The
/// request head and its JSON body are only peeked at; anything else — a detached start, a start that cannot
/// go ahead (its error is then Kestrel's plain reply), every other request — goes to Kestrel untouched.
/// </summary>
internal static partial class ExecConnectionHandler
{
    private const int MaxHeaderBytes = 16 * 1024;

    /// <summary>A start request's body is a small JSON object; anything bigger is left to Kestrel.</summary>
    private const int MaxBodyBytes = 4 * 1024;

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(Func<ExecEndpoints?> routes) => next => async connection =>
    {
        var input = connection.Transport.Input;
        while (true)
        {
            var read = await input.ReadAsync(connection.ConnectionClosed);
            var buffer = read.Buffer;
            var peek = Peek(buffer);
            if (peek is Verdict.NeedMore && !read.IsCompleted && buffer.Length <= MaxHeaderBytes + MaxBodyBytes)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            if (peek is Verdict.Start start && routes() is { } exec && exec.CanStart(start.ExecId))
            {
                input.AdvanceTo(buffer.GetPosition(start.Length));
                await RespondAsync(connection, exec, start);
                return;
            }

            // Not an attached exec start: leave every byte for Kestrel.
            input.AdvanceTo(buffer.Start);
            break;
        }

        await next(connection);
    };

    private static async Task RespondAsync(ConnectionContext connection, ExecEndpoints exec, Verdict.Start start)
    {
        var output = connection.Transport.Output;
        string contentType = ExecEndpoints.ContentType(exec.IsTty(start.ExecId), start.Version);
        await output.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 101 UPGRADED\r\nContent-Type: {contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
        await using var body = output.AsStream(leaveOpen: true);
        await using var requestInput = connection.Transport.Input.AsStream(leaveOpen: true);
        await exec.StreamRawAsync(start.ExecId, requestInput, body);
        await output.CompleteAsync();
    }

    /// <summary>What the bytes read so far on a new connection are (internal for tests).</summary>
    internal static Verdict Peek(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> headBytes, "\r\n\r\n"u8, advancePastDelimiter: true))
        {
            return Verdict.NeedMore.Instance;
        }

        string head = Encoding.ASCII.GetString(headBytes.ToArray());
        var request = StartRequest().Match(head);
        if (!request.Success || !UpgradeHeader().IsMatch(head) || ChunkedHeader().IsMatch(head))
        {
            return Verdict.Other.Instance;
        }

        var lengthHeader = ContentLengthHeader().Match(head);
        long bodyLength = lengthHeader.Success ? long.Parse(lengthHeader.Groups["length"].Value, CultureInfo.InvariantCulture) : 0;
        if (bodyLength > MaxBodyBytes)
        {
            return Verdict.Other.Instance;
        }

        if (reader.Remaining < bodyLength)
        {
            return Verdict.NeedMore.Instance;
        }

        ExecStartRequest? body;
        try
        {
            body = bodyLength == 0 ? new ExecStartRequest() : JsonSerializer.Deserialize(buffer.Slice(reader.Position, bodyLength).ToArray(), DockerJson.Context.ExecStartRequest);
        }
        catch (JsonException)
        {
            return Verdict.Other.Instance;
        }

        if (body is null || body.Detach)
        {
            return Verdict.Other.Instance;
        }

        var version = ApiVersion.TryParse(request.Groups["version"].Value, out var requested) ? requested : ApiVersion.Maximum;
        return new Verdict.Start(Uri.UnescapeDataString(request.Groups["id"].Value), version, reader.Consumed + bodyLength);
    }

    [GeneratedRegex(@"^POST (/v(?<version>1\.\d+))?/exec/(?<id>[^/?\s]+)/start(\?\S*)? HTTP/1\.1\r\n", RegexOptions.CultureInvariant)]
    private static partial Regex StartRequest();

    [GeneratedRegex(@"\r\nUpgrade:\s*tcp\s*(\r\n|$)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UpgradeHeader();

    [GeneratedRegex(@"\r\nTransfer-Encoding:\s*chunked", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ChunkedHeader();

    [GeneratedRegex(@"\r\nContent-Length:\s*(?<length>\d{1,9})\s*(\r\n|$)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ContentLengthHeader();

    /// <summary>What the bytes so far are.</summary>
    internal abstract record Verdict
    {
        public sealed record NeedMore : Verdict
        {
            public static readonly NeedMore Instance = new();
        }

        public sealed record Other : Verdict
        {
            public static readonly Other Instance = new();
        }

        /// <summary>An attached start of <see cref="ExecId"/>; its head and body are <see cref="Length"/> bytes.</summary>
        public sealed record Start(string ExecId, ApiVersion Version, long Length) : Verdict;
    }
}
