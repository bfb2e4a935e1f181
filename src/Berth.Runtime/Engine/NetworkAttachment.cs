using System.Collections.Immutable;
using Berth.Core.Ports;
using Berth.Network.Endpoints;

namespace Berth.Runtime.Engine;

/// <summary>
/// A run's network, made before its process exists: the namespace to join (null: the host's), the endpoints made in
/// it, the /etc/hosts and /etc/resolv.conf it gets, the ports published to it, and the addresses it got per network
/// (as the record names the networks), asked for again at the next start.
/// </summary>
public sealed record NetworkAttachment(
    string? NamespacePath,
    ImmutableArray<EndpointState> Endpoints,
    string Hosts,
    string ResolvConf,
    ImmutableArray<PublishedPort> Ports,
    ImmutableDictionary<string, EndpointAddresses> Addresses)
{
    /// <summary>The variables of its legacy links (<see cref="Engine.LinkEnvironment"/>), kept in the record (<see cref="ContainerRecord.LinkEnvironment"/>).</summary>
    public ImmutableArray<string> LinkEnvironment { get; init; } = [];
}
