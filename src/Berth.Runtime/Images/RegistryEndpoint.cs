using System.Net;

namespace Berth.Runtime.Images;

/// <summary>Where a registry domain is reached: Docker Hub's API host, and plain HTTP for loopback registries (Docker treats 127.0.0.0/8 as insecure).</summary>
public static class RegistryEndpoint
{
    public const string DockerHubApiHost = "registry-1.docker.io";

    public static Uri BaseUri(string domain)
    {
        if (domain == ImageReference.DefaultDomain)
        {
            return new Uri("https://" + DockerHubApiHost + "/");
        }

        return new Uri((IsLoopback(domain) ? "http://" : "https://") + domain + "/");
    }

    public static bool IsLoopback(string domain)
    {
        string host = domain;
        if (host.StartsWith('['))
        {
            host = host[1..host.IndexOf(']', StringComparison.Ordinal)];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            host = host[..host.LastIndexOf(':')];
        }

        return host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
