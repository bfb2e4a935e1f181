using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Berth.Linux.Namespaces;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// DNS over TCP (RFC 1035 §4.2.2, two-byte length prefix) from inside a container's network namespace: the socket is
/// created on a runner thread that has entered <c>/proc/PID/ns/net</c>, so it lives in the container's namespace, and
/// is then used from the test. Its messages: <see cref="DnsMessage"/>.
/// </summary>
public sealed class TcpDnsClient : IDisposable
{
    public static readonly IPEndPoint EmbeddedResolver = new(IPAddress.Parse("127.0.0.11"), 53);

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
            byte[] query = DnsMessage.EncodeA(id, name);
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

            answers[name] = DnsMessage.Decode(message).Answer;
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
}
