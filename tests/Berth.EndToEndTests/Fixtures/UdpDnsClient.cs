using System.Net.Sockets;
using Berth.Linux.Namespaces;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// DNS over UDP from inside a container's network namespace, many names at once: the socket is created on a runner
/// thread that has entered <c>/proc/PID/ns/net</c> and then used from the test. At most a window of queries is in
/// flight; a query unanswered after <see cref="RetryAfter"/> is sent again (UDP may drop), until a deadline.
/// </summary>
public sealed class UdpDnsClient : IDisposable
{
    /// <summary>How long an unanswered query waits before it is sent again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromMilliseconds(500);

    private const int MaxMessage = 4096;

    private readonly Socket _socket;

    /// <summary>A socket connected to 127.0.0.11:53 inside the network namespace of process <paramref name="pid"/>.</summary>
    public UdpDnsClient(int pid, NamespaceRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        using var netns = NetnsHandle.Open($"/proc/{pid}/ns/net");
        _socket = runner.Run(netns, () => new Socket(System.Net.Sockets.AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        _socket.Connect(TcpDnsClient.EmbeddedResolver);
    }

    /// <summary>Queries sent more than once, over every <see cref="QueryA"/> so far.</summary>
    public int Retries { get; private set; }

    /// <summary>
    /// A queries for every name, <paramref name="window"/> in flight at a time; the answers by name. Names not
    /// answered by <paramref name="timeout"/> are missing from the result.
    /// </summary>
    public IReadOnlyDictionary<string, DnsAnswer> QueryA(IReadOnlyList<string> names, int window, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(names.Count, ushort.MaxValue);
        var answers = new Dictionary<string, DnsAnswer>(StringComparer.Ordinal);
        var sentAt = new Dictionary<ushort, DateTime>(); // in flight: id (the name's index) → last sent
        var buffer = new byte[MaxMessage];
        int next = 0;
        DateTime deadline = DateTime.UtcNow + timeout;
        while (answers.Count < names.Count && DateTime.UtcNow < deadline)
        {
            DateTime now = DateTime.UtcNow;
            foreach (var (id, at) in sentAt.Where(s => now - s.Value >= RetryAfter).ToList())
            {
                Send(id, names[id]);
                sentAt[id] = now;
                Retries++;
            }

            while (sentAt.Count < window && next < names.Count)
            {
                Send((ushort)next, names[next]);
                sentAt[(ushort)next] = now;
                next++;
            }

            if (!_socket.Poll(TimeSpan.FromMilliseconds(50), SelectMode.SelectRead))
            {
                continue;
            }

            while (_socket.Available > 0)
            {
                int n = _socket.Receive(buffer);
                var (id, question, answer) = DnsMessage.Decode(buffer.AsSpan(0, n));
                if (sentAt.Remove(id) && id < names.Count && question == names[id])
                {
                    answers[names[id]] = answer;
                }
            }
        }

        return answers;
    }

    public void Dispose() => _socket.Dispose();

    private void Send(ushort id, string name) => _socket.Send(DnsMessage.EncodeA(id, name));
}
