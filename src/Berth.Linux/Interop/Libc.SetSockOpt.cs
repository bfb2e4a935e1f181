using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    internal const int SOL_SOCKET = 1;
    internal const int SO_SNDBUF = 7;
    internal const int SO_RCVBUF = 8;
    internal const int SO_SNDBUFFORCE = 32;
    internal const int SO_RCVBUFFORCE = 33;
    internal const int SO_REUSEPORT = 15;

    /// <summary>A classic BPF program choosing the socket of a SO_REUSEPORT group by its index (Linux 4.5).</summary>
    internal const int SO_ATTACH_REUSEPORT_CBPF = 51;

    // netinet/in.h
    internal const int IPPROTO_IPV6 = 41;
    internal const int IPV6_V6ONLY = 26;

    // netinet/udp.h
    internal const int SOL_UDP = 17;

    /// <summary>UDP generic segmentation offload: the cmsg's u16 is the size each datagram is cut to (Linux 4.18).</summary>
    internal const int UDP_SEGMENT = 103;

    /// <summary>UDP generic receive offload: datagrams of one flow arrive coalesced, a cmsg's int giving their size (Linux 5.0).</summary>
    internal const int UDP_GRO = 104;

    [LibraryImport(LibraryName, EntryPoint = "setsockopt", SetLastError = true)]
    internal static unsafe partial int SetSockOpt(SafeHandle fd, int level, int name, void* value, uint valueLength);
}
