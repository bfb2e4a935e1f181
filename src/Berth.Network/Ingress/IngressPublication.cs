using System.Collections.Immutable;
using System.Net;
using Berth.Core.Errors;

namespace Berth.Network.Ingress;

/// <summary>
/// A port a service publishes in ingress mode: every node forwards <see cref="Protocol"/>/<see cref="PublishedPort"/>
/// to <see cref="TargetPort"/> of one of <see cref="Backends"/> (the tasks' addresses on the ingress network), chosen per
/// connection.
/// </summary>
public sealed record IngressPublication
{
    public IngressPublication(string protocol, int publishedPort, int targetPort, IEnumerable<IPAddress> backends)
    {
        ArgumentNullException.ThrowIfNull(backends);
        if (protocol is not ("tcp" or "udp"))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"ingress port {publishedPort}/{protocol}: only tcp and udp can be published through the routing mesh");
        }

        if (publishedPort is < 1 or > 65535 || targetPort is < 1 or > 65535)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"ingress port {publishedPort}:{targetPort}/{protocol}: ports go from 1 to 65535");
        }

        Protocol = protocol;
        PublishedPort = publishedPort;
        TargetPort = targetPort;
        Backends = [.. backends.Distinct().OrderBy(a => a.ToString(), StringComparer.Ordinal)];
    }

    public string Protocol { get; }

    public int PublishedPort { get; }

    public int TargetPort { get; }

    /// <summary>Sorted, so equal sets give equal rulesets.</summary>
    public ImmutableArray<IPAddress> Backends { get; }

    public bool Equals(IngressPublication? other) =>
        other is not null && Protocol == other.Protocol && PublishedPort == other.PublishedPort && TargetPort == other.TargetPort
        && Backends.SequenceEqual(other.Backends);

    public override int GetHashCode() => HashCode.Combine(Protocol, PublishedPort, TargetPort, Backends.Length);
}
