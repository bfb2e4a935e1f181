using System.Net;
using System.Net.Sockets;
using Berth.Core.Ports;
using Berth.Diagnostics.Doctor.Probes;
using Berth.Linux.Addresses;
using Berth.Linux.Sockets;
using Berth.Network.Ipam;
using Berth.Runtime.Engine;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// Each port a running container publishes on this host: a TCP port must answer a connect from the host (through
/// the same DNAT the LAN's connections take), and no other program may listen on it (berthd holds its ports with bound,
/// never listening, sockets, so any listener on one is another program's, which since a restart of berthd gets none
/// of its connections). UDP has no handshake to probe: reported as not probed.
/// </summary>
public sealed class PortsCheck : IDoctorCheck
{
    private const string Check = "ports published";

    /// <summary>Probes at once: a host with many published ports still finishes well within the check's timeout.</summary>
    private const int MaxConcurrentProbes = 32;

    public string Area => "ports";

    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(DiagnosticSources sources, DoctorScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(scope);
        var ports = sources.Containers.List()
            .Where(c => ScopedContainers.IsRunning(c) && (scope.Container is null || c.Id == scope.Container.Id))
            .SelectMany(c => c.Ports.Select(p => (Container: c, Port: p)))
            .Where(x => scope.Network is null || scope.Network.Subnets.Any(s => IPNetworkMath.Contains(s.Subnet, x.Port.ContainerAddress)))
            .ToList();
        if (ports.Count == 0)
        {
            return [];
        }

        // /proc/net is the reading thread's namespace: this runs on berthd's own threads, in the host's.
        var listeners = ProcNetTcp.Listening();
        var conflicts = ports.ToDictionary(x => x.Port, x => x.Port.Port.Protocol == PortProtocol.Tcp ? Conflicting(x.Port, listeners) : []);
        var owners = SocketOwner.Find(conflicts.Values.SelectMany(l => l).Select(l => l.Inode).ToHashSet());
        IPAddress? hostV6 = sources.Host.Rtnl.Addresses.List(null, AddressFamily.InterNetworkV6).FirstOrDefault(a => a.Scope == AddressScope.Universe)?.Address.Address;
        using var gate = new SemaphoreSlim(MaxConcurrentProbes);
        var findings = await Task.WhenAll(ports.Select(async x =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await PortAsync(x.Container, x.Port, conflicts[x.Port], owners, hostV6, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        return findings;
    }

    /// <summary>Listeners that take connections to the published address and port: same port, and the same address or either on every address (a listener on :: may take IPv4 too).</summary>
    public static IReadOnlyList<ListeningSocket> Conflicting(PublishedPort port, IReadOnlyList<ListeningSocket> listeners)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(listeners);
        return [.. listeners.Where(l => l.Local.Port == port.HostPort && Overlaps(l.Local.Address, port.HostIp))];
    }

    /// <summary>Where the host connects to probe a port: its own address, 127.0.0.1 for every IPv4 address, the host's first global IPv6 address for every IPv6 one.</summary>
    public static IPAddress? ProbeAddress(PublishedPort port, IPAddress? hostV6)
    {
        ArgumentNullException.ThrowIfNull(port);
        return !port.AnyAddress ? port.HostIp : port.IsIPv6 ? hostV6 : IPAddress.Loopback;
    }

    private static async Task<DoctorFinding> PortAsync(ContainerRecord container, PublishedPort port, IReadOnlyList<ListeningSocket> conflicts,
        IReadOnlyDictionary<ulong, SocketOwner> owners, IPAddress? hostV6, CancellationToken cancellationToken)
    {
        string subject = container.Name;
        if (conflicts.Count > 0)
        {
            var listener = conflicts[0];
            string who = owners.TryGetValue(listener.Inode, out var owner) ? $"{owner.Command} (pid {owner.Pid})" : $"a program berthd cannot name (socket inode {listener.Inode})";
            return DoctorFinding.Problem(Check, subject,
                $"{port}: {who} also listens on {Format(listener.Local)}; connections to the port go to {container.Name}, never to it",
                owner is not null ? $"kill {owner.Pid} && berth restart {container.Name}" : $"ss -ltnp 'sport = :{port.HostPort}'");
        }

        if (port.Port.Protocol != PortProtocol.Tcp)
        {
            return DoctorFinding.Ok(Check, subject, $"{port}: not probed (UDP has no handshake to answer)");
        }

        if (ProbeAddress(port, hostV6) is not { } address)
        {
            return DoctorFinding.Ok(Check, subject, $"{port}: not probed (the host has no global IPv6 address to connect to)");
        }

        var target = new IPEndPoint(address, port.HostPort);
        string inside = $"{container.Name} ({Format(new IPEndPoint(port.ContainerAddress, port.Port.Number))})";
        return await TcpProbe.ConnectAsync(target, TcpProbe.DefaultTimeout, cancellationToken).ConfigureAwait(false) switch
        {
            TcpProbeResult.Connected => DoctorFinding.Ok(Check, subject, $"{port}: answers on {Format(target)}"),
            TcpProbeResult.Refused => DoctorFinding.Problem(Check, subject,
                $"{port}: {Format(target)} is refused by {inside}: nothing in the container listens on {port.Port}",
                $"berth exec {container.Name} netstat -tln"),
            var silent => DoctorFinding.Problem(Check, subject,
                $"{port}: {Format(target)} {(silent == TcpProbeResult.Unreachable ? "is unreachable" : $"does not answer within {TcpProbe.DefaultTimeout.TotalSeconds:0} s")}: the connection does not get to {inside}",
                "berth doctor (see the host checks: forwarding, firewall, routes)"),
        };
    }

    private static bool Overlaps(IPAddress listener, IPAddress published) =>
        listener.Equals(IPAddress.IPv6Any)
        || (listener.AddressFamily == published.AddressFamily && (listener.Equals(IPAddress.Any) || published.Equals(IPAddress.Any) || published.Equals(IPAddress.IPv6Any) || listener.Equals(published)));

    private static string Format(IPEndPoint endpoint) => endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : $"{endpoint.Address}:{endpoint.Port}";
}
