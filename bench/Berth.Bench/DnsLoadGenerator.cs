using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Linux.Namespaces;

namespace Berth.Bench;

/// <summary>
/// A closed-loop DNS load generator inside a container's network namespace: one UDP socket, opened on the
/// namespace runner's thread inside the namespace (a socket belongs to the namespace it was made in, so it
/// is then used from this thread, which never enters the namespace itself), connected to the embedded
/// resolver at 127.0.0.11:53. It keeps a bounded number of queries for one name in flight, sends the next
/// as each answer arrives, and records every answer's latency in a 1 µs histogram — no allocation per
/// query, so the generator's own pauses are not measured as the resolver's.
/// </summary>
internal sealed class DnsLoadGenerator : IDisposable
{
    /// <summary>Queries kept in flight: dnsperf's default (<c>-q 100</c>), the usual way resolvers are compared.</summary>
    public const int DefaultWindow = 100;

    private static readonly IPEndPoint Resolver = new(IPAddress.Parse("127.0.0.11"), 53);

    private const int HeaderLength = 12; // RFC 1035 §4.1.1
    private const int IdSpace = 1 << 16;
    private const int MaxLatencyMicros = 1_000_000;
    private const int ReceiveTimeoutMs = 50;
    private const int SweepEveryAnswers = 8192;
    private const ushort TypeA = 1;
    private const ushort ClassIn = 1;
    private const ushort FlagRecursionDesired = 0x0100;
    private const int ResponseCodeMask = 0xF;

    /// <summary>A query unanswered this long is counted lost and its slot reused.</summary>
    private static readonly TimeSpan LossTimeout = TimeSpan.FromMilliseconds(500);

    private readonly Socket _socket;
    private readonly byte[] _query;
    private readonly long[] _sentAt = new long[IdSpace];
    private readonly byte[] _reply = new byte[4096];
    private ushort _nextId;

    private DnsLoadGenerator(Socket socket, byte[] query)
    {
        _socket = socket;
        _query = query;
    }

    /// <summary>A generator asking for the A record of <paramref name="name"/> from the namespace at <paramref name="netnsPath"/>.</summary>
    public static DnsLoadGenerator Open(string netnsPath, string name)
    {
        using var netns = NetnsHandle.Open(netnsPath);
        var socket = NamespaceRunner.Shared.Run(netns, () =>
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Connect(Resolver);
            return udp;
        });
        socket.ReceiveTimeout = ReceiveTimeoutMs;
        socket.ReceiveBufferSize = 1 << 20;
        return new DnsLoadGenerator(socket, Query(name));
    }

    /// <summary>One query, answered within a second: the A records of the name (throws when none answers).</summary>
    public List<IPAddress> Resolve()
    {
        var clock = Stopwatch.StartNew();
        Send(1);
        while (clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            int n = Receive();
            if (n >= HeaderLength && BinaryPrimitives.ReadUInt16BigEndian(_reply) == (ushort)(_nextId - 1))
            {
                _sentAt[(ushort)(_nextId - 1)] = 0;
                return AddressesIn(_reply.AsSpan(0, n));
            }
        }

        throw new InvalidOperationException($"no answer from the resolver at {Resolver} in the container's namespace within 1 s");
    }

    /// <summary>
    /// Asks again every <paramref name="interval"/>, a new id each time and none waited for (a name the resolver does not
    /// know yet may be forwarded upstream and answered late), until an answer with NOERROR and an A record comes: its
    /// first address, or null after <paramref name="timeout"/>.
    /// </summary>
    public IPAddress? AskUntilKnown(TimeSpan interval, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var nextSend = TimeSpan.Zero;
        try
        {
            while (clock.Elapsed < timeout)
            {
                if (clock.Elapsed >= nextSend)
                {
                    Send(Stopwatch.GetTimestamp());
                    nextSend = clock.Elapsed + interval;
                }

                var wait = nextSend - clock.Elapsed;
                if (wait > TimeSpan.Zero && !_socket.Poll(wait, SelectMode.SelectRead))
                {
                    continue;
                }

                int n = Receive();
                if (n >= HeaderLength && _sentAt[BinaryPrimitives.ReadUInt16BigEndian(_reply)] != 0 && (_reply[3] & ResponseCodeMask) == 0
                    && AddressesIn(_reply.AsSpan(0, n)) is [var address, ..])
                {
                    return address;
                }
            }

            return null;
        }
        finally
        {
            Array.Clear(_sentAt);
        }
    }

    /// <summary>
    /// Keeps <paramref name="window"/> queries in flight for <paramref name="duration"/>. Only answers with
    /// NOERROR and at least one record count as answered; the queries still in flight at the end are waited
    /// for but not counted.
    /// </summary>
    public DnsLoadRound Run(TimeSpan duration, int window)
    {
        var histogram = new int[MaxLatencyMicros + 1];
        long answered = 0, failed = 0, lost = 0;
        int inFlight = 0;
        Array.Clear(_sentAt);
        long lossTicks = (long)(LossTimeout.TotalSeconds * Stopwatch.Frequency);
        long start = Stopwatch.GetTimestamp();
        long end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long now = start;
        int sinceSweep = 0;
        for (; inFlight < window; inFlight++)
        {
            Send(now);
        }

        while (now < end)
        {
            int n = Receive();
            now = Stopwatch.GetTimestamp();
            if (n >= HeaderLength)
            {
                ushort id = BinaryPrimitives.ReadUInt16BigEndian(_reply);
                long sent = _sentAt[id];
                if (sent != 0)
                {
                    _sentAt[id] = 0;
                    inFlight--;
                    histogram[(int)Math.Min(MaxLatencyMicros, (now - sent) * 1_000_000 / Stopwatch.Frequency)]++;
                    bool ok = (_reply[3] & ResponseCodeMask) == 0 && BinaryPrimitives.ReadUInt16BigEndian(_reply.AsSpan(6)) > 0;
                    if (ok)
                    {
                        answered++;
                    }
                    else
                    {
                        failed++;
                    }
                }
            }

            if (n <= 0 || ++sinceSweep >= SweepEveryAnswers)
            {
                sinceSweep = 0;
                int expired = Expire(now - lossTicks);
                lost += expired;
                inFlight -= expired;
            }

            for (; inFlight < window; inFlight++)
            {
                Send(now);
            }
        }

        double seconds = (double)(now - start) / Stopwatch.Frequency;
        Drain(inFlight);
        return new DnsLoadRound(answered / seconds, Percentile(histogram, 50), Percentile(histogram, 99), answered, failed, lost);
    }

    public void Dispose() => _socket.Dispose();

    private void Drain(int inFlight)
    {
        var clock = Stopwatch.StartNew();
        while (inFlight > 0 && clock.Elapsed < LossTimeout)
        {
            if (Receive() >= HeaderLength)
            {
                inFlight--;
            }
        }

        Array.Clear(_sentAt);
    }

    private void Send(long now)
    {
        while (_sentAt[_nextId] != 0)
        {
            _nextId++;
        }

        BinaryPrimitives.WriteUInt16BigEndian(_query, _nextId);
        _sentAt[_nextId++] = now;
        try
        {
            _socket.Send(_query);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            throw new InvalidOperationException($"nothing listens at {Resolver} in the container's namespace", e);
        }
    }

    /// <summary>Bytes of the next datagram, or 0 when none came within the receive timeout.</summary>
    private int Receive()
    {
        try
        {
            return _socket.Receive(_reply);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            throw new InvalidOperationException($"nothing listens at {Resolver} in the container's namespace", e);
        }
    }

    /// <summary>Forgets queries sent before <paramref name="before"/>; returns how many.</summary>
    private int Expire(long before)
    {
        int expired = 0;
        for (int id = 0; id < IdSpace; id++)
        {
            long sent = _sentAt[id];
            if (sent != 0 && sent < before)
            {
                _sentAt[id] = 0;
                expired++;
            }
        }

        return expired;
    }

    private static double Percentile(int[] histogram, double percentile)
    {
        long total = histogram.Sum(c => (long)c);
        long rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * total));
        long seen = 0;
        for (int micros = 0; micros < histogram.Length; micros++)
        {
            seen += histogram[micros];
            if (seen >= rank)
            {
                return Stats.Round(micros / 1000.0);
            }
        }

        return double.NaN;
    }

    private static byte[] Query(string name)
    {
        var labels = name.TrimEnd('.').Split('.');
        var query = new byte[HeaderLength + labels.Sum(l => l.Length + 1) + 1 + 4];
        BinaryPrimitives.WriteUInt16BigEndian(query.AsSpan(2), FlagRecursionDesired);
        BinaryPrimitives.WriteUInt16BigEndian(query.AsSpan(4), 1);
        int offset = HeaderLength;
        foreach (string label in labels)
        {
            query[offset++] = (byte)label.Length;
            offset += Encoding.ASCII.GetBytes(label, query.AsSpan(offset));
        }

        query[offset++] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(query.AsSpan(offset), TypeA);
        BinaryPrimitives.WriteUInt16BigEndian(query.AsSpan(offset + 2), ClassIn);
        return query;
    }

    /// <summary>The A records of an answer (names possibly compressed, RFC 1035 §4.1.4).</summary>
    private static List<IPAddress> AddressesIn(ReadOnlySpan<byte> message)
    {
        int questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        int answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        int offset = HeaderLength;
        for (int i = 0; i < questions; i++)
        {
            offset = SkipName(message, offset) + 4;
        }

        var addresses = new List<IPAddress>();
        for (int i = 0; i < answers; i++)
        {
            offset = SkipName(message, offset);
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
            offset += 10;
            if (type == TypeA && length == 4)
            {
                addresses.Add(new IPAddress(message.Slice(offset, 4)));
            }

            offset += length;
        }

        return addresses;
    }

    private static int SkipName(ReadOnlySpan<byte> message, int offset)
    {
        while (true)
        {
            byte tag = message[offset];
            if ((tag & 0xC0) == 0xC0)
            {
                return offset + 2;
            }

            offset += tag + 1;
            if (tag == 0)
            {
                return offset;
            }
        }
    }
}
