using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Berth.Bench;

/// <summary>
/// A TCP receiver listening inside a container's network namespace (its socket made there; the container itself
/// runs only <c>sleep</c>), and a sender in the docker host's namespace: bulk throughput from the host to an address
/// that leads to the container — its published port, or its own address. Both ends are this process, so neither a
/// server's buffer size nor its scheduling differs between the two ways in.
/// </summary>
internal sealed class TcpSink : IDisposable
{
    /// <summary>Bytes per send and per receive: large enough that system calls are not what is measured.</summary>
    private const int ChunkBytes = 256 * 1024;

    private static readonly TimeSpan AcceptTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _listener;

    private TcpSink(Socket listener) => _listener = listener;

    /// <summary>Listens on every address of the namespace of <paramref name="container"/> at <paramref name="port"/>.</summary>
    public static TcpSink Listen(NetnsSockets container, int port)
    {
        ArgumentNullException.ThrowIfNull(container);
        return new TcpSink(container.InNamespace(() =>
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Any, port));
            listener.Listen();
            return listener;
        }));
    }

    /// <summary>
    /// Sends from a socket of <paramref name="host"/> to <paramref name="to"/> for <paramref name="duration"/>; returns
    /// Gb/s as the sink counted it, from its first byte to the sender's end of stream, and this process's CPU time
    /// per GB sent: both ends are this process, and on this kernel (no IRQ time accounting) the softirq work of the
    /// path — NAT, conntrack, the bridge — is charged to the task it interrupts, so that is mostly this one too. CPU
    /// per byte hardly depends on what else the machine runs; Gb/s does.
    /// </summary>
    public TcpSinkRound Measure(NetnsSockets host, IPEndPoint to, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(host);
        double cpuBefore = ProcStatus.CpuSeconds(Environment.ProcessId);
        var received = Task.Factory.StartNew(Drain, TaskCreationOptions.LongRunning);
        using (var sender = host.Take())
        {
            sender.Connect(to);
            byte[] chunk = new byte[ChunkBytes];
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                sender.Send(chunk);
            }

            sender.Shutdown(SocketShutdown.Send);
        }

        var (bytes, seconds) = received.GetAwaiter().GetResult();
        double cpuSeconds = ProcStatus.CpuSeconds(Environment.ProcessId) - cpuBefore;
        return new TcpSinkRound(bytes * 8 / seconds / 1e9, cpuSeconds * 1e3 / (bytes / 1e9));
    }

    public void Dispose() => _listener.Dispose();

    private (long Bytes, double Seconds) Drain()
    {
        if (!_listener.Poll(AcceptTimeout, SelectMode.SelectRead))
        {
            throw new TimeoutException($"no connection reached the sink within {AcceptTimeout.TotalSeconds:0} s");
        }

        using var connection = _listener.Accept();
        byte[] buffer = new byte[ChunkBytes];
        connection.Receive(buffer); // the clock starts after the first bytes: connection set-up is not throughput
        var clock = Stopwatch.StartNew();
        long bytes = 0;
        int n;
        while ((n = connection.Receive(buffer)) > 0)
        {
            bytes += n;
        }

        return (bytes, clock.Elapsed.TotalSeconds);
    }
}
