using System.Collections.Immutable;
using System.Net;
using Berth.Core.Errors;
using Berth.Core.Networks;

namespace Berth.Network.Services;

/// <summary>
/// A service on one swarm-scoped network as the cluster store holds it (<c>net/services/&lt;network&gt;/&lt;service id&gt;</c>,
/// written by the leader through <see cref="ServiceBindings"/>): the names every node's resolver answers there and, in
/// <see cref="ServiceEndpointMode.Vip"/> mode, the virtual IP and ports every node balances. Its backends are not in
/// the record: they are the network's endpoints whose <c>ServiceId</c> is <see cref="ServiceId"/>.
/// </summary>
public sealed record ServiceBinding
{
    public required NetworkId NetworkId { get; init; }

    public required string ServiceId { get; init; }

    /// <summary>The service's name: resolves to the VIP (vip) or the backends (dnsrr); <c>tasks.&lt;name&gt;</c> to the backends.</summary>
    public required string Name { get; init; }

    /// <summary>The service's aliases on this network; each resolves as the name does, <c>tasks.&lt;alias&gt;</c> too.</summary>
    public ImmutableArray<string> Aliases { get; init; } = [];

    public ServiceEndpointMode Mode { get; init; } = ServiceEndpointMode.Vip;

    /// <summary>The virtual IP in vip mode (an address claimed from the network's IPAM); null in dnsrr mode.</summary>
    public IPAddress? Vip { get; init; }

    /// <summary>What the VIP balances; empty: nothing (the name still resolves to the VIP).</summary>
    public ImmutableArray<ServiceBindingPort> Ports { get; init; } = [];

    /// <summary>
    /// The binding on the ingress network: no names and no VIP balancing there (Docker gives ingress neither); its
    /// ports' <see cref="ServiceBindingPort.PublishedPort"/> are what the routing mesh publishes on every node, to the
    /// backends of this binding.
    /// </summary>
    public bool Ingress { get; init; }

    /// <summary>Every problem at once: a vip without an address (or dnsrr with one), bad ports, empty names.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ServiceId) || ServiceId.Contains('/', StringComparison.Ordinal))
        {
            problems.Add($"service id \"{ServiceId}\" is empty or has a '/'");
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("the name is empty");
        }

        if (Mode == ServiceEndpointMode.Vip && Vip is null)
        {
            problems.Add("endpoint mode vip needs a virtual IP; claim one with ClusterServiceAddresses");
        }

        if (Mode == ServiceEndpointMode.Dnsrr && Vip is not null)
        {
            problems.Add("endpoint mode dnsrr has no virtual IP; leave Vip null");
        }

        foreach (var port in Ports)
        {
            try
            {
                port.Validate(Name);
            }
            catch (BerthException e)
            {
                problems.Add(e.Message);
            }
        }

        if (Ingress && Ports.Any(p => p.PublishedPort == 0))
        {
            problems.Add("a port of the ingress binding has no published port");
        }

        if (problems.Count > 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"service binding of {Name} on network {NetworkId.Value}: {string.Join("; ", problems)}");
        }
    }
}
