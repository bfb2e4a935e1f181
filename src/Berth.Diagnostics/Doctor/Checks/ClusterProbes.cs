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

    public static Task<ClusterPortOutcome> TcpAsync(IPAddress address, int port, CancellationToken cancellationToken) =>
        ExchangeAsync(new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp), new IPEndPoint(address, port), ConnectTimeout,
            (_, _) => Task.CompletedTask, ClusterPortOutcome.NoAnswer, cancellationToken);

    /// <summary>Sends an inert datagram and waits for a refusal: <see cref="ClusterPortOutcome.Answered"/> means only "not refused".</summary>
    public static Task<ClusterPortOutcome> UdpAsync(IPAddress address, int port, CancellationToken cancellationToken) =>
        // Connected: the kernel reports the ICMP error of this flow as ECONNREFUSED on the next receive.
        ExchangeAsync(new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp), new IPEndPoint(address, port), UdpTimeout, async (socket, token) =>
        {
            await socket.SendAsync(InertVxlanHeader, SocketFlags.None, token).ConfigureAwait(false);
            await socket.ReceiveAsync(new byte[1], SocketFlags.None, token).ConfigureAwait(false);
        }, ClusterPortOutcome.Answered, cancellationToken);

    public static Task<IcmpEchoResult> PingAsync(NamespaceRunner runner, IPAddress address, CancellationToken cancellationToken) =>
        IcmpEcho.SendAsync(runner, null, address, EchoPacketSize, dontFragment: false, EchoTimeout, cancellationToken);

    public static string Describe(ClusterPortOutcome outcome) => outcome switch
    {
        ClusterPortOutcome.Answered => "answers",
        ClusterPortOutcome.Refused => "refused (nothing listens)",
        ClusterPortOutcome.NoAnswer => "no answer (dropped)",
        _ => "unreachable (no route or no ARP answer)",
    };

    /// <summary>Connects <paramref name="socket"/> (disposed after), then runs <paramref name="exchange"/>; silence until <paramref name="timeout"/> is <paramref name="silence"/>.</summary>
    private static async Task<ClusterPortOutcome> ExchangeAsync(Socket socket, IPEndPoint target, TimeSpan timeout, Func<Socket, CancellationToken, Task> exchange,
        ClusterPortOutcome silence, CancellationToken cancellationToken)
    {
        using var owned = socket;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(target, deadline.Token).ConfigureAwait(false);
            await exchange(socket, deadline.Token).ConfigureAwait(false);
            return ClusterPortOutcome.Answered;
        }
        catch (SocketException error)
        {
            return Outcome(error);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return silence;
        }
    }

    private static ClusterPortOutcome Outcome(SocketException error) => error.SocketErrorCode switch
    {
        SocketError.ConnectionRefused or SocketError.ConnectionReset => ClusterPortOutcome.Refused,
        SocketError.TimedOut => ClusterPortOutcome.NoAnswer,
        _ => ClusterPortOutcome.Unreachable,
    };
}
