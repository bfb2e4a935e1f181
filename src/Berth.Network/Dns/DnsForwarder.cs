using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Dns;

/// <summary>
/// Sends queries the registry cannot answer to the upstream servers, one after the other, each with a
/// timeout, over the transport the client used. Its sockets live in the namespace of the thread that
/// creates them, berthd's own, so loopback upstreams (a host's 127.0.0.53) are reachable. Every
/// failure becomes SERVFAIL: a client is never left waiting for nothing.
/// </summary>
public sealed class DnsForwarder : IDisposable
{
    /// <summary>Forwarded queries in flight at once; more are answered SERVFAIL at once (libnetwork's resolver bounds them the same way).</summary>
    public const int MaxConcurrentForwards = 256;

    /// <summary>How long one upstream gets to answer before the next is tried.</summary>
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan OverloadWarningInterval = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim slots = new(MaxConcurrentForwards, MaxConcurrentForwards);
    private readonly ILogger logger;
    private long overloaded;
    private long lastOverloadWarning;

    public DnsForwarder(IEnumerable<IPEndPoint> upstreams, TimeSpan? attemptTimeout = null, ILogger? logger = null)
    {
        Upstreams = [.. upstreams];
        AttemptTimeout = attemptTimeout ?? DefaultAttemptTimeout;
        this.logger = logger ?? NullLogger.Instance;
    }

    public ImmutableArray<IPEndPoint> Upstreams { get; }

    public TimeSpan AttemptTimeout { get; }

    /// <summary>
    /// Forwards <paramref name="rawQuery"/> (the client's bytes) and returns the answer to send back, with
    /// the client's id: the upstream's answer, or SERVFAIL when none answered or too many are in flight.
    /// </summary>
    public async Task<byte[]> ForwardAsync(DnsQuery query, ReadOnlyMemory<byte> rawQuery, DnsTransport transport, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!slots.Wait(0, CancellationToken.None))
        {
            WarnOverloaded();
            return DnsResponse.Build(query, DnsResponseCode.ServerFailure, [], transport, authoritative: false);
        }

        try
        {
            byte[] forwarded = rawQuery.ToArray();
            foreach (IPEndPoint upstream in Upstreams)
            {
                ushort id = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
                DnsWire.WriteId(forwarded, id);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(AttemptTimeout);
                try
                {
                    byte[] reply = transport == DnsTransport.Tcp
                        ? await ExchangeTcpAsync(upstream, forwarded, id, timeout.Token)
                        : await ExchangeUdpAsync(upstream, forwarded, id, timeout.Token);
                    DnsWire.WriteId(reply, query.Id);
                    if (reply.Length > query.MaxResponseSize(transport))
                    {
                        // Too big for this client (an upstream ignoring its EDNS0 size): tell it to come back over TCP.
                        byte[] truncated = DnsResponse.Build(query, (DnsResponseCode)(reply[3] & DnsWire.ResponseCodeMask), [], transport, authoritative: false);
                        BinaryPrimitives.WriteUInt16BigEndian(truncated.AsSpan(2), (ushort)(DnsWire.ReadUInt16(truncated, 2) | DnsWire.FlagTruncated));
                        return truncated;
                    }

                    return reply;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    logger.UpstreamFailed(upstream, query.Question.Name, query.Question.Type, "no answer within " + AttemptTimeout.TotalMilliseconds + " ms");
                }
                catch (SocketException exception)
                {
                    logger.UpstreamFailed(upstream, query.Question.Name, query.Question.Type, exception.Message);
                }
                catch (InvalidDataException exception)
                {
                    logger.UpstreamFailed(upstream, query.Question.Name, query.Question.Type, exception.Message);
                }
            }

            logger.AllUpstreamsFailed(query.Question.Name, query.Question.Type);
            return DnsResponse.Build(query, DnsResponseCode.ServerFailure, [], transport, authoritative: false);
        }
        finally
        {
            slots.Release();
        }
    }

    public void Dispose() => slots.Dispose();

    private static async Task<byte[]> ExchangeUdpAsync(IPEndPoint upstream, byte[] query, ushort id, CancellationToken cancellationToken)
    {
        // A connected socket on a fresh ephemeral port: only the upstream's datagrams reach it, and the
        // random port plus random id make a spoofed answer hard to place.
        using var socket = new Socket(upstream.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(upstream, cancellationToken);
        await socket.SendAsync(query, SocketFlags.None, cancellationToken);
        var buffer = new byte[DnsWire.MaxUdpPayload];
        while (true)
        {
            int received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (received >= DnsWire.HeaderLength && DnsWire.ReadId(buffer) == id && (DnsWire.ReadUInt16(buffer, 2) & DnsWire.FlagResponse) != 0)
            {
                return buffer[..received];
            }
        }
    }

    private static async Task<byte[]> ExchangeTcpAsync(IPEndPoint upstream, byte[] query, ushort id, CancellationToken cancellationToken)
    {
        using var socket = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(upstream, cancellationToken);
        await DnsTcp.WriteMessageAsync(socket, query, cancellationToken);
        byte[]? reply = await DnsTcp.ReadMessageAsync(socket, cancellationToken);
        if (reply is null || reply.Length < DnsWire.HeaderLength || DnsWire.ReadId(reply) != id)
        {
            throw new InvalidDataException("the upstream closed the connection or answered another query");
        }

        return reply;
    }

    private void WarnOverloaded()
    {
        long dropped = Interlocked.Increment(ref overloaded);
        long now = Stopwatch.GetTimestamp();
        long last = Volatile.Read(ref lastOverloadWarning);
        if ((last == 0 || Stopwatch.GetElapsedTime(last, now) >= OverloadWarningInterval)
            && Interlocked.CompareExchange(ref lastOverloadWarning, now, last) == last)
        {
            logger.TooManyForwards(MaxConcurrentForwards, dropped);
        }
    }
}
