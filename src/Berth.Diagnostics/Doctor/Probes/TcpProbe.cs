using System.Net;
using System.Net.Sockets;

namespace Berth.Diagnostics.Doctor.Probes;

/// <summary>
/// A TCP connect from the calling thread's namespace (berthd's threads: the host's), bounded by a timeout. Any answer,
/// a completed handshake or a reset, shows the address is reachable; silence or an ICMP error shows it is not. The
/// connection is closed at once and sends no data.
/// </summary>
public static class TcpProbe
{
    /// <summary>Long enough for ARP on a LAN and a container's stack to answer, short enough for a report of many probes.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    public static async Task<TcpProbeResult> ConnectAsync(IPEndPoint target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(target, deadline.Token).ConfigureAwait(false);
            return TcpProbeResult.Connected;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TcpProbeResult.NoAnswer;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return TcpProbeResult.Refused;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.TimedOut)
        {
            return e.SocketErrorCode == SocketError.TimedOut ? TcpProbeResult.NoAnswer : TcpProbeResult.Unreachable;
        }
    }

    /// <summary>Whether the result shows the address answered (handshake or reset).</summary>
    public static bool Answered(TcpProbeResult result) => result is TcpProbeResult.Connected or TcpProbeResult.Refused;
}
