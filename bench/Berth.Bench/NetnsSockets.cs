using System.Collections.Concurrent;
using System.Net.Sockets;
using Berth.Linux.Namespaces;

namespace Berth.Bench;

/// <summary>
/// IPv4 TCP sockets that belong to one network namespace (a socket belongs to the namespace it was made in, and
/// is then used from any thread): made on the namespace runner's thread in batches, so a load generator that
/// needs a new socket per connection pays one namespace switch per <see cref="BatchSize"/> sockets, not per
/// connection. A null path means this process's own namespace (where Docker's host side is).
/// </summary>
internal sealed class NetnsSockets : IDisposable
{
    private const int BatchSize = 256;

    private readonly NetnsHandle? _netns;
    private readonly ConcurrentQueue<Socket> _ready = new();
    private readonly Lock _refill = new();

    private NetnsSockets(NetnsHandle? netns) => _netns = netns;

    public static NetnsSockets Open(string? netnsPath) => new(netnsPath is null ? null : NetnsHandle.Open(netnsPath));

    /// <summary>A fresh, unconnected socket of the namespace; the caller disposes it.</summary>
    public Socket Take()
    {
        Socket? socket;
        while (!_ready.TryDequeue(out socket))
        {
            Refill();
        }

        return socket;
    }

    /// <summary>Runs synchronous <paramref name="work"/> inside the namespace (a listening socket to make there, say).</summary>
    public T InNamespace<T>(Func<T> work) => _netns is null ? work() : NamespaceRunner.Shared.Run(_netns, work);

    public void Dispose()
    {
        while (_ready.TryDequeue(out var socket))
        {
            socket.Dispose();
        }

        _netns?.Dispose();
    }

    private void Refill()
    {
        lock (_refill)
        {
            if (!_ready.IsEmpty)
            {
                return;
            }

            foreach (var socket in InNamespace(() => Enumerable.Range(0, BatchSize).Select(_ => New()).ToArray()))
            {
                _ready.Enqueue(socket);
            }
        }
    }

    private static Socket New() => new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
}
