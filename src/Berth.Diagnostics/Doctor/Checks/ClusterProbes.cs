using System.Net;
using System.Net.Sockets;
using Berth.Linux.Namespaces;
using Berth.Linux.Probes;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// The cluster checks' probes, from berthd's own namespace (where the swarm's traffic leaves): a TCP connect, a UDP
/// datagram that only an ICMP port unreachable answers, an ICMP echo. Each bounded by its own time, so every probe of
/// a report runs side by side well within <see cref="Doctor.CheckTimeout"/>.
/// </summary>
public static class ClusterProbes
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a UDP probe waits for the ICMP port unreachable a closed port sends back at once.</summary>
    public static readonly TimeSpan UdpTimeout = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(1);

    /// <summary>An echo as <c>ping</c> sends it: IPv4 header 20 + ICMP header 8 + 56 bytes of data.</summary>
    private const int EchoPacketSize = 84;

    /// <summary>
    /// A VXLAN header (RFC 7348) with no flag set, VNI 0: the kernel's VXLAN receiver drops it as invalid (the I flag is
    /// required), so it reaches no network; a host with nothing on the port answers it with ICMP port unreachable.
    /// </summary>
    private static readonly byte[] InertVxlanHeader = new byte[8];

    public static async Task<ClusterPortOutcome> TcpAsync(IPAddress address, int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), deadline.Token).ConfigureAwait(false);
            return ClusterPortOutcome.Answered;
        }
        catch (SocketException error)
        {
            return Outcome(error);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ClusterPortOutcome.NoAnswer;
        }
    }

    /// <summary>Sends an inert datagram and waits for a refusal: <see cref="ClusterPortOutcome.Answered"/> means only "not refused".</summary>
    public static async Task<ClusterPortOutcome> UdpAsync(IPAddress address, int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(UdpTimeout);
        try
        {
            // Connected: the kernel reports the ICMP error of this flow as ECONNREFUSED on the next receive.
            await socket.ConnectAsync(new IPEndPoint(address, port), deadline.Token).ConfigureAwait(false);
            await socket.SendAsync(InertVxlanHeader, SocketFlags.None, deadline.Token).ConfigureAwait(false);
            await socket.ReceiveAsync(new byte[1], SocketFlags.None, deadline.Token).ConfigureAwait(false);
            return ClusterPortOutcome.Answered;
        }
        catch (SocketException error)
        {
            return Outcome(error);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ClusterPortOutcome.Answered;
        }
    }

    public static Task<IcmpEchoResult> PingAsync(NamespaceRunner runner, IPAddress address, CancellationToken cancellationToken) =>
        IcmpEcho.SendAsync(runner, null, address, EchoPacketSize, dontFragment: false, EchoTimeout, cancellationToken);

    public static string Describe(ClusterPortOutcome outcome) => outcome switch
    {
        ClusterPortOutcome.Answered => "answers",
        ClusterPortOutcome.Refused => "refused (nothing listens)",
        ClusterPortOutcome.NoAnswer => "no answer (dropped)",
        _ => "unreachable (no route or no ARP answer)",
    };

    private static ClusterPortOutcome Outcome(SocketException error) => error.SocketErrorCode switch
    {
        SocketError.ConnectionRefused or SocketError.ConnectionReset => ClusterPortOutcome.Refused,
        SocketError.TimedOut => ClusterPortOutcome.NoAnswer,
        _ => ClusterPortOutcome.Unreachable,
    };
}
