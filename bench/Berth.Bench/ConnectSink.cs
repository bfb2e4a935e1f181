using System.Net;
using System.Net.Sockets;

namespace Berth.Bench;

/// <summary>
/// A listener inside a container's network namespace (its socket made there; the container runs something else) that
/// takes every connection and drops it at once, on a thread of its own, with the kernel's largest backlog: a handshake
/// towards it is answered by the kernel whatever the machine's load, never dropped because a server was slow to
/// accept (busybox httpd's backlog of 9, a fork per connection: a SYN it drops costs a 1 s retransmission).
/// </summary>
internal sealed class ConnectSink : IDisposable
{
    /// <summary>SOMAXCONN: the kernel caps the backlog at net.core.somaxconn (4096 on this kernel).</summary>
    private const int Backlog = 4096;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly Thread _acceptor;

    private ConnectSink(Socket listener)
    {
        _listener = listener;
        _acceptor = new Thread(Accept) { IsBackground = true, Name = "connect-sink" };
        _acceptor.Start();
    }

    /// <summary>Listens on every address of <paramref name="container"/>'s namespace at <paramref name="port"/>.</summary>
    public static ConnectSink Listen(NetnsSockets container, int port)
    {
        ArgumentNullException.ThrowIfNull(container);
        return new ConnectSink(container.InNamespace(() =>
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Any, port));
            listener.Listen(Backlog);
            return listener;
        }));
    }

    public void Dispose()
    {
        // Closing the listener ends the blocked Accept with a SocketException (or ObjectDisposedException), and the thread with it.
        _listener.Dispose();
        _acceptor.Join(StopTimeout);
    }

    private void Accept()
    {
        try
        {
            while (true)
            {
                _listener.Accept().Dispose();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The listener was closed: the sink is done.
        }
    }
}
