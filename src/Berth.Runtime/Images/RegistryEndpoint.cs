using System.Collections.Immutable;
using System.Net;
using Berth.Core.Errors;

namespace Berth.Runtime.Images;

/// <summary>
/// Where a registry domain is reached: Docker Hub's API host, plain HTTP for insecure registries (loopback always, as
/// Docker treats 127.0.0.0/8; others named by berthd's <c>--insecure-registry</c>: a CIDR holding the registry's IP
/// address, or its exact <c>host[:port]</c>), HTTPS with verified certificates for every other.
/// </summary>
public sealed class RegistryEndpoint
{
    public const string DockerHubApiHost = "registry-1.docker.io";

    private readonly ImmutableArray<IPNetwork> _insecureNetworks;
    private readonly ImmutableHashSet<string> _insecureNames;

    private RegistryEndpoint(ImmutableArray<IPNetwork> networks, ImmutableHashSet<string> names)
    {
        _insecureNetworks = networks;
        _insecureNames = names;
    }

    /// <summary>Loopback registries insecure, nothing else.</summary>
    public static RegistryEndpoint Default { get; } = new([], ImmutableHashSet<string>.Empty);

    /// <summary>What <c>docker info</c> lists as insecure: 127.0.0.0/8 and the CIDRs given.</summary>
    public IReadOnlyList<string> InsecureCidrs => ["127.0.0.0/8", .. _insecureNetworks.Select(n => n.ToString())];

    /// <summary>The names (not CIDRs) given as insecure.</summary>
    public IReadOnlyList<string> InsecureNames => [.. _insecureNames.Order(StringComparer.Ordinal)];

    /// <summary>
    /// berthd's <c>--insecure-registry</c> values (Docker's flag): each a CIDR (<c>10.77.0.0/16</c>) or a registry's
    /// <c>host[:port]</c>. A value with a scheme, a path or an invalid CIDR is InvalidArgument naming it.
    /// </summary>
    public static RegistryEndpoint WithInsecure(IEnumerable<string> values)
    {
        var networks = ImmutableArray.CreateBuilder<IPNetwork>();
        var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string raw in values)
        {
            string value = raw.Trim();
            if (value.Contains("://", StringComparison.Ordinal))
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"insecure registry {value} should not contain '://': give host[:port] or a CIDR");
            }

            if (value.Contains('/', StringComparison.Ordinal))
            {
                if (!IPNetwork.TryParse(value, out var network))
                {
                    throw new BerthException(ErrorKind.InvalidArgument, $"insecure registry {value} is not a valid CIDR (e.g. 10.77.0.0/16) nor a host[:port]");
                }

                networks.Add(network);
            }
            else if (value.Length == 0 || !ImageReference.TryParse(value + "/probe", out var parsed, out _) || parsed.Domain != value.ToLowerInvariant())
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"insecure registry \"{value}\" is not a valid host[:port] nor a CIDR");
            }
            else
            {
                names.Add(value);
            }
        }

        return new RegistryEndpoint(networks.ToImmutable(), names.ToImmutable());
    }

    public Uri BaseUri(string domain)
    {
        if (domain == ImageReference.DefaultDomain)
        {
            return new Uri("https://" + DockerHubApiHost + "/");
        }

        return new Uri((IsInsecure(domain) ? "http://" : "https://") + domain + "/");
    }

    /// <summary>Reached over plain HTTP: loopback, a name given, or an IP address inside a CIDR given.</summary>
    public bool IsInsecure(string domain)
    {
        if (IsLoopback(domain) || _insecureNames.Contains(domain))
        {
            return true;
        }

        string host = Host(domain);
        return _insecureNames.Contains(host)
            || (IPAddress.TryParse(host, out var ip) && _insecureNetworks.Any(network => network.Contains(ip)));
    }

    public static bool IsLoopback(string domain)
    {
        string host = Host(domain);
        return host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary><c>host:port</c> → host; <c>[::1]:5000</c> → <c>::1</c>.</summary>
    private static string Host(string domain)
    {
        if (domain.StartsWith('['))
        {
            return domain[1..domain.IndexOf(']', StringComparison.Ordinal)];
        }

        int colon = domain.LastIndexOf(':');
        return colon < 0 ? domain : domain[..colon];
    }
}
