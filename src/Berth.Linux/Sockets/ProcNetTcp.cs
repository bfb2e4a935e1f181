using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace Berth.Linux.Sockets;

/// <summary>
/// The TCP sockets of a network namespace as procfs lists them (<c>/proc/net/tcp</c>, <c>/proc/net/tcp6</c>; see
/// proc_net_tcp.rst). <c>/proc/net</c> is that of the reading thread's namespace: call <see cref="Listening"/> from a
/// thread in the namespace to look at (berthd's own threads: the host's).
/// </summary>
public static class ProcNetTcp
{
    /// <summary>TCP_LISTEN in include/net/tcp_states.h, as the <c>st</c> column prints it.</summary>
    private const string ListenState = "0A";

    private const int LocalAddressColumn = 1;
    private const int StateColumn = 3;
    private const int InodeColumn = 9;

    /// <summary>Every listening TCP socket of the calling thread's namespace, IPv4 and IPv6.</summary>
    public static IReadOnlyList<ListeningSocket> Listening() =>
        [.. Read("/proc/net/tcp"), .. Read("/proc/net/tcp6")];

    /// <summary>The listening sockets in one file's text; lines that do not parse are skipped (the kernel's format is fixed, but not ours to trust).</summary>
    public static IReadOnlyList<ListeningSocket> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sockets = new List<ListeningSocket>();
        foreach (string line in text.Split('\n').Skip(1))
        {
            string[] columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length <= InodeColumn || columns[StateColumn] != ListenState
                || !ulong.TryParse(columns[InodeColumn], NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode)
                || ParseEndpoint(columns[LocalAddressColumn]) is not { } local)
            {
                continue;
            }

            sockets.Add(new ListeningSocket(local, inode));
        }

        return sockets;
    }

    private static IReadOnlyList<ListeningSocket> Read(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return []; // a kernel without IPv6 has no tcp6
        }
    }

    /// <summary><c>0100007F:1F90</c> → 127.0.0.1:8080. The address is printed as 32-bit words in the host's byte order, the port as a number.</summary>
    private static IPEndPoint? ParseEndpoint(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon is not (8 or 32) || !ushort.TryParse(text.AsSpan(colon + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort port))
        {
            return null;
        }

        var bytes = new byte[colon / 2];
        for (int word = 0; word < bytes.Length / 4; word++)
        {
            if (!uint.TryParse(text.AsSpan(word * 8, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value))
            {
                return null;
            }

            // The word was printed as the host's integer: its bytes in memory are the address's, in order.
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(word * 4), BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value));
        }

        return new IPEndPoint(new IPAddress(bytes), port);
    }
}
