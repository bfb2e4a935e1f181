using System.Net.Sockets;
using Berth.Linux.Namespaces;

namespace Berth.Linux.Probes;

/// <summary>
/// Sockets that belong to another network namespace: made on the runner's worker while it is inside the namespace (a
/// socket keeps the namespace it was made in for life), then used from any thread with .NET's async calls.
/// </summary>
public static class NamespaceSockets
{
    /// <summary>A socket in <paramref name="netns"/>, or in berthd's own namespace when it is null.</summary>
    public static Task<Socket> OpenAsync(NamespaceRunner runner, NetnsHandle? netns, AddressFamily family, SocketType type, ProtocolType protocol, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        return netns is null
            ? Task.FromResult(new Socket(family, type, protocol))
            : runner.RunAsync(netns, () => new Socket(family, type, protocol), cancellationToken);
    }
}
