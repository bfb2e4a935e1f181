using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Berth.Cli.Client;

public sealed partial class DaemonClient
{
    private const int MaxResponseHeadBytes = 64 * 1024;

    /// <summary>
    /// Docker's hijack (attach, exec start): the request goes out on a connection of its own with <c>Connection: Upgrade</c> and
    /// <c>Upgrade: tcp</c>; the daemon answers <c>101 UPGRADED</c> and from then on the socket carries the container's streams
    /// raw, both ways. Any other answer is an error, as for docker's CLI (<c>unable to upgrade to tcp, received 200</c>).
    /// </summary>
    public async Task<HijackedConnection> HijackAsync(string pathAndQuery, byte[]? jsonBody, CancellationToken cancellationToken = default)
    {
        Socket socket;
        try
        {
            socket = await OpenSocketAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new DaemonUnavailableException(host, e);
        }

        try
        {
            var body = jsonBody ?? [];
            var head = new StringBuilder()
                .Append("POST ").Append(ApiVersionPrefix).Append(pathAndQuery).Append(" HTTP/1.1\r\n")
                .Append("Host: ").Append(RequestHost).Append("\r\n")
                .Append("User-Agent: ").Append(UserAgent).Append("\r\n")
                .Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n")
                .Append("Content-Type: ").Append(jsonBody is null ? "text/plain" : "application/json").Append("\r\n")
                .Append("Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
            await socket.SendAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken).ConfigureAwait(false);
            if (body.Length > 0)
            {
                await socket.SendAsync(body, cancellationToken).ConfigureAwait(false);
            }

            var (status, headers, rest) = await ReadResponseHeadAsync(socket, cancellationToken).ConfigureAwait(false);
            if (status == HijackedConnection.SwitchingProtocols)
            {
                return new HijackedConnection(socket, rest);
            }

            var errorBody = await ReadErrorBodyAsync(socket, headers, rest, cancellationToken).ConfigureAwait(false);
            throw status >= 400
                ? new DaemonErrorException(status, ErrorMessage(errorBody, status))
                : new DaemonErrorException(status, $"unable to upgrade to tcp, received {status}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads up to the blank line; what came after it (the first stream bytes) is returned too.</summary>
    private static async Task<(int Status, Dictionary<string, string> Headers, byte[] Early)> ReadResponseHeadAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var received = new List<byte>();
        while (true)
        {
            var end = IndexOfHeadEnd(received);
            if (end >= 0)
            {
                var head = Encoding.ASCII.GetString(received.GetRange(0, end).ToArray()).Split("\r\n");
                var statusParts = head[0].Split(' ', 3);
                if (statusParts.Length < 2 || !int.TryParse(statusParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
                {
                    throw new DaemonErrorException(0, $"malformed response from the daemon: {head[0]}");
                }

                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in head.Skip(1))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                    }
                }

                return (status, headers, received.GetRange(end + 4, received.Count - end - 4).ToArray());
            }

            if (received.Count > MaxResponseHeadBytes)
            {
                throw new DaemonErrorException(0, "the daemon's response head is too long");
            }

            var read = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new DaemonErrorException(0, "the daemon closed the connection before answering");
            }

            received.AddRange(buffer.AsSpan(0, read));
        }
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>An error reply's body: Content-Length, chunked, or up to the close.</summary>
    private static async Task<byte[]> ReadErrorBodyAsync(Socket socket, Dictionary<string, string> headers, byte[] rest, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        body.Write(rest);
        var buffer = new byte[4096];
        var length = headers.TryGetValue("Content-Length", out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var l) ? l : -1;
        var chunked = headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        while (length < 0 || body.Length < length)
        {
            if (chunked && EndsWithLastChunk(body))
            {
                break;
            }

            var read = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            body.Write(buffer, 0, read);
        }

        var bytes = body.ToArray();
        return chunked ? Dechunk(bytes) : bytes;
    }

    private static bool EndsWithLastChunk(MemoryStream body) =>
        body.Length >= 5 && body.GetBuffer().AsSpan((int)body.Length - 5, 5).SequenceEqual("0\r\n\r\n"u8);

    private static byte[] Dechunk(byte[] bytes)
    {
        var output = new List<byte>();
        var i = 0;
        while (i < bytes.Length)
        {
            var lineEnd = bytes.AsSpan(i).IndexOf("\r\n"u8);
            if (lineEnd < 0 || !int.TryParse(Encoding.ASCII.GetString(bytes, i, lineEnd).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0)
            {
                break;
            }

            i += lineEnd + 2;
            output.AddRange(bytes.AsSpan(i, Math.Min(size, bytes.Length - i)));
            i += size + 2;
        }

        return [.. output];
    }
}
