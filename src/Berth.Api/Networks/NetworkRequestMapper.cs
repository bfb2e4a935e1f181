using System.Collections.Immutable;
using Berth.Api.Contracts;
using Berth.Core.Errors;
using Berth.Core.Networks;

namespace Berth.Api.Networks;

/// <summary>
/// <c>POST /networks/create</c> body → <see cref="NetworkConfig"/>. <c>Options</c>, <c>Labels</c> and
/// <c>IPAM</c> are kept exactly as sent (compose and docker-py compare them); only "unset" is normalised:
/// an empty string means absent, as Go's <c>omitempty</c> has it.
/// </summary>
internal static class NetworkRequestMapper
{
    public const string LocalScope = "local";
    public const string SwarmScope = "swarm";

    public static NetworkConfig ToConfig(NetworkCreateRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw new BerthException(ErrorKind.InvalidArgument, "network name is required: set \"Name\" in the request body");
        }

        string driver = string.IsNullOrEmpty(request.Driver) ? NetworkDrivers.Bridge : request.Driver;
        return new NetworkConfig
        {
            Name = request.Name,
            Driver = driver,

            // An empty scope means the driver's own, which the network manager asks the driver for.
            Scope = request.Scope ?? "",
            Internal = request.Internal ?? false,
            Attachable = request.Attachable ?? false,
            Ingress = request.Ingress ?? false,
            EnableIPv6 = request.EnableIPv6 ?? false,
            ConfigOnly = request.ConfigOnly ?? false,
            ConfigFrom = string.IsNullOrEmpty(request.ConfigFrom?.Network) ? null : request.ConfigFrom.Network,
            Options = ToImmutable(request.Options) ?? ImmutableDictionary<string, string>.Empty,
            Labels = ToImmutable(request.Labels) ?? ImmutableDictionary<string, string>.Empty,
            Ipam = ToIpam(request.Ipam),
        };
    }

    private static IpamRequest ToIpam(Ipam? ipam)
    {
        if (ipam is null)
        {
            return new IpamRequest();
        }

        return new IpamRequest
        {
            Driver = string.IsNullOrEmpty(ipam.Driver) ? IpamRequest.DefaultDriver : ipam.Driver,
            Options = ToImmutable(ipam.Options),
            Config = ipam.Config is null
                ? []
                : [.. ipam.Config.Select(pool => new IpamPoolRequest
                {
                    Subnet = NullIfEmpty(pool.Subnet),
                    IPRange = NullIfEmpty(pool.IPRange),
                    Gateway = NullIfEmpty(pool.Gateway),
                    AuxiliaryAddresses = pool.AuxiliaryAddresses is { Count: > 0 } aux ? ToImmutable(aux) : null,
                })],
        };
    }

    private static ImmutableDictionary<string, string>? ToImmutable(Dictionary<string, string>? values) =>
        values?.ToImmutableDictionary(StringComparer.Ordinal);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
