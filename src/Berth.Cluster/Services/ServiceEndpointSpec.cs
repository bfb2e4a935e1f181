using System.Collections.Immutable;

namespace Berth.Cluster.Services;

public enum EndpointMode
{
    Vip,
    Dnsrr,
}

public enum PortProtocol
{
    Tcp,
    Udp,
    Sctp,
}

public enum PublishMode
{
    Ingress,
    Host,
}

/// <summary><c>--endpoint-mode</c> and <c>--publish</c>.</summary>
public sealed record ServiceEndpointSpec
{
    public EndpointMode Mode { get; init; } = EndpointMode.Vip;

    public ImmutableArray<ServicePort> Ports { get; init; } = [];
}

/// <summary>One published port. <see cref="PublishedPort"/> 0: an ingress port is picked from 30000–32767 (a host port: any free one).</summary>
public sealed record ServicePort(PortProtocol Protocol, ushort TargetPort, ushort PublishedPort = 0, PublishMode Mode = PublishMode.Ingress)
{
    public string? Name { get; init; }
}
