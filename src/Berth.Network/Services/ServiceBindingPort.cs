using Berth.Core.Errors;

namespace Berth.Network.Services;

/// <summary>
/// A port the service's virtual IP answers on: <paramref name="Protocol"/> (<c>tcp</c>, <c>udp</c> or <c>sctp</c>) and the
/// target port. Docker's VIP maps a port to the same port of a backend, so the target is both. On the ingress binding,
/// <paramref name="PublishedPort"/> is the port every node publishes through the routing mesh (0 elsewhere).
/// </summary>
public sealed record ServiceBindingPort(string Protocol, ushort TargetPort, ushort PublishedPort = 0)
{
    public static readonly IReadOnlyList<string> Protocols = ["tcp", "udp", "sctp"];

    /// <summary>InvalidArgument unless the protocol is one of <see cref="Protocols"/> and the port is not 0.</summary>
    public void Validate(string service)
    {
        if (!Protocols.Contains(Protocol, StringComparer.Ordinal))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"service {service}: port protocol \"{Protocol}\" is not one of tcp, udp, sctp");
        }

        if (TargetPort == 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"service {service}: target port 0 is not a port; give 1-65535");
        }
    }
}
