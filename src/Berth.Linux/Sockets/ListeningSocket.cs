using System.Net;

namespace Berth.Linux.Sockets;

/// <summary>A TCP socket in the LISTEN state, as <c>/proc/net/tcp</c> or <c>tcp6</c> lists it, with its inode (to find its process).</summary>
public sealed record ListeningSocket(IPEndPoint Local, ulong Inode);
