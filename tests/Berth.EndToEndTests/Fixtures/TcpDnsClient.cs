using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Linux.Namespaces;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// DNS over TCP (RFC 1035 §4.2.2, two-byte length prefix) from inside a container's network namespace: the socket is
/// created on a runner thread that has entered <c>/proc/PID/ns/net</c>, so it lives in the container's namespace, and
/// is then used from the test. Its own small encoder and decoder, independent of Berth's codec.
/// </summary>
public sealed class TcpDnsClient : IDisposable
{
    public static readonly IPEndPoint EmbeddedResolver = new(IPAddress.Parse("127.0.0.11"), 53);

    private const byte TypeA = 1;
    private const byte ClassInternet = 1;
    private const int HeaderLength = 12;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private ushort _nextId = 0x4242;

    /// <summary>Connects to <see cref="EmbeddedResolver"/> inside the network namespace of process <paramref name="pid"/>.</summary>
    public TcpDnsClient(int pid, NamespaceRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        using var netns = NetnsHandle.Open($"/proc/{pid}/ns/net");
        _socket = runner.Run(netns, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var cancel = new CancellationTokenSource(Timeout);
        _socket.ConnectAsync(EmbeddedResolver, cancel.Token).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Sends A queries for every name at once on this connection, then reads the answers (any order, matched by id).</summary>
    public IReadOnlyDictionary<string, DnsAnswer> QueryA(params string[] names)
    {
        var byId = new Dictionary<ushort, string>();
        var request = new MemoryStream();
        foreach (string name in names)
        {
            ushort id = _nextId++;
            byId[id] = name;
            byte[] query = Encode(id, name);
            request.Write([(byte)(query.Length >> 8), (byte)query.Length]);
            request.Write(query);
        }

        _socket.Send(request.ToArray());
        var answers = new Dictionary<string, DnsAnswer>(StringComparer.Ordinal);
        while (answers.Count < names.Length)
        {
            byte[] message = ReadExactly(BinaryPrimitives.ReadUInt16BigEndian(ReadExactly(2)));
            ushort id = BinaryPrimitives.ReadUInt16BigEndian(message);
            if (!byId.TryGetValue(id, out string? name))
            {
                throw new InvalidOperationException($"an answer with id {id} that was never asked");
            }

            answers[name] = Decode(message);
        }

        return answers;
    }

    public void Dispose() => _socket.Dispose();

    private byte[] ReadExactly(int count)
    {
        var buffer = new byte[count];
        using var cancel = new CancellationTokenSource(Timeout);
        int read = 0;
        while (read < count)
        {
            int n = _socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancel.Token).AsTask().GetAwaiter().GetResult();
            if (n == 0)
            {
                throw new InvalidOperationException($"the resolver closed the connection after {read} of {count} bytes");
            }

            read += n;
        }

        return buffer;
    }

    private static byte[] Encode(ushort id, string name)
    {
        var message = new List<byte> { (byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 }; // RD; one question
        foreach (string label in name.Split('.'))
        {
            message.Add((byte)label.Length);
            message.AddRange(Encoding.ASCII.GetBytes(label));
        }

        message.AddRange([0, 0, TypeA, 0, ClassInternet]);
        return [.. message];
    }

    private static DnsAnswer Decode(byte[] message)
    {
        int code = message[3] & 0x0F;
        int questions = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(4));
        int answerCount = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(6));
        int at = HeaderLength;
        for (int i = 0; i < questions; i++)
        {
            at = SkipName(message, at) + 4;
        }

        var addresses = new List<IPAddress>();
        for (int i = 0; i < answerCount; i++)
        {
            at = SkipName(message, at);
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(at));
            int length = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(at + 8));
            at += 10;
            if (type == TypeA && length == 4)
            {
                addresses.Add(new IPAddress(message.AsSpan(at, 4)));
            }

            at += length;
        }

        return new DnsAnswer(code, [.. addresses.Select(a => a.ToString()).Order(StringComparer.Ordinal)]);
    }

    private static int SkipName(byte[] message, int at)
    {
        while (message[at] != 0)
        {
            if ((message[at] & 0xC0) == 0xC0)
            {
                return at + 2;
            }

            at += 1 + message[at];
        }

        return at + 1;
    }
}

/// <summary>An answer's RCODE (0 NOERROR, 3 NXDOMAIN, …) and its A addresses, sorted.</summary>
public sealed record DnsAnswer(int ResponseCode, string[] Addresses);
