using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Core.Ports;
using Berth.Network.Firewall;

namespace Berth.Network.Ports;

/// <summary>
/// Publishes container ports: host ports taken by <see cref="HostPortAllocator"/>, then one DNAT map element per
/// (host address, port) in Berth's firewall, in one transaction. No process per port and no rule re-rendered: the
/// 500th port costs what the first did. Thread-safe.
/// </summary>
public sealed class PortPublisher(INetworkFirewall firewall, HostPortAllocator allocator)
{
    /// <summary>
    /// Publishes <paramref name="bindings"/> to <paramref name="target"/>; all of them or none (a failure releases
    /// every port taken and says which binding could not be made and why).
    /// </summary>
    public ImmutableArray<PublishedPort> Publish(string containerId, IReadOnlyList<PortBinding> bindings, PortTarget target)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        ArgumentNullException.ThrowIfNull(target);
        var published = ImmutableArray.CreateBuilder<PublishedPort>();
        try
        {
            foreach (var binding in bindings)
            {
                var destinations = Destinations(binding, target);
                ushort port = allocator.Reserve(containerId, binding.Port.Protocol, [.. destinations.Select(d => d.HostIp)], binding.HostPortStart, binding.HostPortEnd);
                published.AddRange(destinations.Select(d => new PublishedPort(binding.Port, d.HostIp, port, d.ContainerAddress)));
            }

            var result = published.ToImmutable();
            firewall.AddPorts(result);
            return result;
        }
        catch
        {
            allocator.Release(containerId);
            throw;
        }
    }

    /// <summary>Withdraws a container's published ports and lets go of its host ports.</summary>
    public void Withdraw(string containerId, IReadOnlyCollection<PublishedPort> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        try
        {
            firewall.RemovePorts(ports);
        }
        finally
        {
            allocator.Release(containerId);
        }
    }

    /// <summary>
    /// berthd's start: holds the host ports of the running containers again and makes the DNAT maps exactly theirs
    /// (elements left by a crash go). Returns a line per port that could not be held again (another program took it
    /// while berthd was down: its forwarding stays, as it was before the crash).
    /// </summary>
    public IReadOnlyList<string> Restore(IReadOnlyDictionary<string, ImmutableArray<PublishedPort>> byContainer)
    {
        ArgumentNullException.ThrowIfNull(byContainer);
        var problems = new List<string>();
        foreach (var (containerId, ports) in byContainer)
        {
            foreach (var port in ports)
            {
                if (allocator.Restore(containerId, port.Port.Protocol, port.HostIp, port.HostPort) is { } problem)
                {
                    problems.Add($"container {containerId[..Math.Min(12, containerId.Length)]}: {problem}");
                }
            }
        }

        firewall.ReplacePorts([.. byContainer.Values.SelectMany(p => p)]);
        return problems;
    }

    /// <summary>
    /// The host addresses one binding is published on, each with the container address of its family: the
    /// binding's own address; else the network's host_binding_ipv4; else every address (0.0.0.0, and :: when the
    /// container has an IPv6 address).
    /// </summary>
    private static List<(IPAddress HostIp, IPAddress ContainerAddress)> Destinations(PortBinding binding, PortTarget target)
    {
        var result = new List<(IPAddress, IPAddress)>();
        if ((binding.HostIp ?? target.DefaultHostIp) is { } ip)
        {
            bool v6 = ip.AddressFamily == AddressFamily.InterNetworkV6;
            string family = v6 ? "IPv6" : "IPv4";
            var container = (v6 ? target.IPv6 : target.IPv4)
                ?? throw new BerthException(ErrorKind.InvalidArgument,
                    $"cannot publish {binding}: the host address {ip} is {family} but the container has no {family} address on network {target.Network}; publish on an address of the other family or give the network an {family} subnet");
            result.Add((ip, container));
            if (binding.HostIp is null && !v6 && target.IPv6 is { } v6Container)
            {
                result.Add((IPAddress.IPv6Any, v6Container));
            }

            return result;
        }

        if (target.IPv4 is { } v4)
        {
            result.Add((IPAddress.Any, v4));
        }

        if (target.IPv6 is { } v6Address)
        {
            result.Add((IPAddress.IPv6Any, v6Address));
        }

        return result;
    }
}
