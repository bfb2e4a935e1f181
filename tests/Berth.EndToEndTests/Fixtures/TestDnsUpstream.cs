using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// A tiny DNS server at 127.0.0.1:53 (UDP) inside a lab host's namespace, for berthd's <c>--dns</c>:
/// it answers <see cref="KnownName"/> A with <see cref="KnownAddress"/> and NXDOMAIN for every other
/// name, over UDP and over TCP, and counts the queries it saw. Queries never leave the lab.
/// </summary>
public sealed class TestDnsUpstream : IDisposable
{
    public const string KnownName = "upstream.test";

    public static readonly IPAddress KnownAddress = IPAddress.Parse("192.0.2.53");

    private readonly Socket _socket;
    private readonly Socket _tcpListener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Task _tcpLoop;
    private int _queries;
    private int _tcpQueries;

    /// <summary>Listens on <paramref name="address"/> (default 127.0.0.1) port 53 inside <paramref name="host"/>.</summary>
    public TestDnsUpstream(LabHost host, IPAddress? address = null)
    {
        var bound = address ?? IPAddress.Loopback;
        ArgumentNullException.ThrowIfNull(host);
        host.Ip("link", "set", "lo", "up");
        using var netns = NetnsHandle.Open(host.NetnsPath);
        _socket = NamespaceRunner.Shared.Run(netns, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(bound, 53));
            return socket;
        });
        _tcpListener = NamespaceRunner.Shared.Run(netns, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(bound, 53));
            socket.Listen(8);
            return socket;
        });
        _loop = Task.Run(ServeAsync);
        _tcpLoop = Task.Run(ServeTcpAsync);
    }

    /// <summary>Queries answered so far (both transports).</summary>
    public int Queries => Volatile.Read(ref _queries);

    /// <summary>Queries answered over TCP so far.</summary>
    public int TcpQueries => Volatile.Read(ref _tcpQueries);

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _tcpListener.Dispose();
        try
        {
            Task.WaitAll([_loop, _tcpLoop], TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the socket.
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        var buffer = new byte[512];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (Answer(buffer.AsSpan(0, received.ReceivedBytes)) is { } reply)
            {
                Interlocked.Increment(ref _queries);
                await _socket.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint);
            }
        }
    }

    /// <summary>Length-prefixed queries (RFC 1035 §4.2.2), connection after connection, one at a time.</summary>
    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var connection = await _tcpListener.AcceptAsync(_stop.Token);
                var length = new byte[2];
                while (await ReadExactlyAsync(connection, length) && BinaryPrimitives.ReadUInt16BigEndian(length) is var size and > 0)
                {
                    var query = new byte[size];
                    if (!await ReadExactlyAsync(connection, query))
                    {
                        break;
                    }

                    if (Answer(query) is { } reply)
                    {
                        Interlocked.Increment(ref _queries);
                        Interlocked.Increment(ref _tcpQueries);
                        await connection.SendAsync((byte[])[(byte)(reply.Length >> 8), (byte)reply.Length, .. reply], SocketFlags.None, _stop.Token);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private async Task<bool> ReadExactlyAsync(Socket connection, byte[] buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await connection.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, _stop.Token);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    /// <summary>The header and question of the query, flagged as an answer, plus the one A record it knows.</summary>
    private static byte[]? Answer(ReadOnlySpan<byte> query)
    {
        const int HeaderLength = 12;
        if (query.Length < HeaderLength + 5)
        {
            return null;
        }

        var name = new List<string>();
        int at = HeaderLength;
        while (at < query.Length && query[at] != 0)
        {
            int length = query[at];
            if (at + 1 + length > query.Length)
            {
                return null;
            }

            name.Add(System.Text.Encoding.ASCII.GetString(query.Slice(at + 1, length)));
            at += 1 + length;
        }

        int questionEnd = at + 1 + 4;
        if (questionEnd > query.Length)
        {
            return null;
        }

        ushort type = BinaryPrimitives.ReadUInt16BigEndian(query[(at + 1)..]);
        bool known = string.Join('.', name).Equals(KnownName, StringComparison.OrdinalIgnoreCase);
        byte[] answer = known && type == 1 ? [0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, .. KnownAddress.GetAddressBytes()] : [];
        byte[] reply = [.. query[..questionEnd], .. answer];
        reply[2] = (byte)(0x80 | (query[2] & 0x01)); // QR, RD copied
        reply[3] = (byte)(0x80 | (known ? 0 : 3)); // RA; NOERROR or NXDOMAIN
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), (ushort)(answer.Length > 0 ? 1 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(10), 0);
        return reply;
    }
}
