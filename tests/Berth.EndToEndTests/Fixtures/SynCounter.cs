using System.Net;
using System.Net.Sockets;
using Berth.Linux.Namespaces;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// Counts TCP SYNs arriving in a network namespace (a container's) from one source to one port, with a raw socket
/// opened inside it: proof by packet that traffic reached the container, or never did.
/// </summary>
public sealed class SynCounter : IDisposable
{
    private readonly Socket _socket;
    private readonly IPAddress _from;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _count;

    public SynCounter(string netnsPath, IPAddress from, int port)
    {
        _from = from;
        _port = port;
        using var netns = NetnsHandle.Open(netnsPath);
        _socket = NamespaceRunner.Shared.Run(netns, () => new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Tcp));
        _loop = Task.Run(ReceiveAsync);
    }

    public int Count => Volatile.Read(ref _count);

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // ends with the socket
        }

        _stop.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[65536];
        while (!_stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            int ihl = (buffer[0] & 0x0f) * 4;
            if (n < ihl + 14)
            {
                continue;
            }

            var source = new IPAddress(buffer.AsSpan(12, 4));
            int destinationPort = (buffer[ihl + 2] << 8) | buffer[ihl + 3];
            bool syn = (buffer[ihl + 13] & 0x02) != 0 && (buffer[ihl + 13] & 0x10) == 0;
            if (syn && destinationPort == _port && source.Equals(_from))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }
}
