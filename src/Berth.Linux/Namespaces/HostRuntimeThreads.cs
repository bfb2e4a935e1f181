using System.Net.Sockets;

namespace Berth.Linux.Namespaces;

/// <summary>
/// Threads the .NET runtime starts lazily, the first time a feature is used, that work on a runner's worker would
/// otherwise start inside a foreign namespace — where they would stay for good, holding that namespace (and its veth)
/// alive after it is deleted. Started once per process, from a thread in the host namespace, before any worker runs.
/// </summary>
internal static class HostRuntimeThreads
{
    private static int started;

    /// <summary>
    /// The socket engine's event-loop thread (".NET Sockets"): .NET starts it when the process creates its first
    /// <see cref="Socket"/>, and opening a socket inside a namespace is what workers are for (the DNS resolver's, a
    /// test's). Seen in berthd restarted with running containers: its first socket was a container's resolver socket,
    /// and that container's namespace never went away.
    /// </summary>
    public static void EnsureStarted()
    {
        if (Interlocked.Exchange(ref started, 1) == 0)
        {
            new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified).Dispose();
        }
    }
}
