using System.Net;
using System.Runtime.InteropServices;
using Berth.Linux.Interop;

namespace Berth.Linux.Sockets;

/// <summary>Steered groups: several sockets on one address and port, each datagram handed to one chosen by its payload.</summary>
public sealed unsafe partial class UdpTunnelSocket
{
    // linux/filter.h, linux/bpf_common.h: classic BPF opcodes.
    private const ushort BpfLoadWordAbsolute = 0x00 | 0x00 | 0x20; // BPF_LD | BPF_W | BPF_ABS
    private const ushort BpfModuloConstant = 0x04 | 0x90 | 0x00; // BPF_ALU | BPF_MOD | BPF_K
    private const ushort BpfReturnAccumulator = 0x06 | 0x10; // BPF_RET | BPF_A

    /// <summary>
    /// Binds <paramref name="count"/> sockets to <paramref name="local"/>:<paramref name="port"/> as one SO_REUSEPORT
    /// group (0: a free port, the same for all) in the calling thread's namespace, and has the kernel hand each
    /// datagram to socket <c>w mod count</c>, where <c>w</c> is the big-endian 32-bit word at
    /// <paramref name="wordOffset"/> of its UDP payload (a classic BPF program on the group, SO_ATTACH_REUSEPORT_CBPF).
    /// So every datagram carrying one value there reaches the same socket, whatever its source port. A datagram too
    /// short to hold the word goes to socket 0. Socket i of the result is group index i. On failure nothing is left.
    /// </summary>
    public static UdpTunnelSocket[] BindSteered(IPAddress local, ushort port, int count, int wordOffset)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(wordOffset);
        var sockets = new List<UdpTunnelSocket>(count);
        try
        {
            var first = Bind(local, port, reusePort: true);
            sockets.Add(first);

            // The program goes on the group before anyone else joins it: no datagram is ever placed by the
            // kernel's default hash once a second socket exists.
            first.SteerGroup(wordOffset, (uint)count);
            for (int i = 1; i < count; i++)
            {
                sockets.Add(Bind(local, (ushort)first.LocalEndPoint.Port, reusePort: true));
            }

            return [.. sockets];
        }
        catch
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }

            throw;
        }
    }

    private void SteerGroup(int wordOffset, uint count)
    {
        SocketFilter* program = stackalloc SocketFilter[3];
        program[0] = new SocketFilter(BpfLoadWordAbsolute, (uint)wordOffset);
        program[1] = new SocketFilter(BpfModuloConstant, count);
        program[2] = new SocketFilter(BpfReturnAccumulator, 0);
        var filter = new SocketFilterProgram { Length = 3, Filter = program };
        if (Libc.SetSockOpt(_handle, Libc.SOL_SOCKET, Libc.SO_ATTACH_REUSEPORT_CBPF, &filter, (uint)sizeof(SocketFilterProgram)) != 0)
        {
            throw KernelException.FromLastError($"cannot steer the SO_REUSEPORT group of {this} (SO_ATTACH_REUSEPORT_CBPF, Linux 4.5)");
        }
    }

    /// <summary><c>struct sock_filter</c> (linux/filter.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct SocketFilter(ushort code, uint k)
    {
        public readonly ushort Code = code;
        public readonly byte JumpTrue;
        public readonly byte JumpFalse;
        public readonly uint K = k;
    }

    /// <summary><c>struct sock_fprog</c> (linux/filter.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct SocketFilterProgram
    {
        public ushort Length;
        public SocketFilter* Filter;
    }
}
