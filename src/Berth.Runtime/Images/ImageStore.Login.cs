namespace Berth.Runtime.Images;

public sealed partial class ImageStore
{
    /// <summary>
    /// <c>docker login</c> through the daemon (<c>POST /auth</c>): checks <paramref name="credentials"/> against the
    /// registry at <paramref name="serverAddress"/> (<c>host[:port]</c>, a URL, or empty for Docker Hub). Nothing is
    /// kept: the client stores its credentials and sends them with each pull.
    /// </summary>
    public Task LoginAsync(string? serverAddress, RegistryCredentials? credentials, CancellationToken cancellationToken = default) =>
        _registry.LoginAsync(RegistryDomain(serverAddress), credentials, cancellationToken);

    /// <summary>The registry domain of a login's server address: scheme and path dropped, Docker Hub's names to <c>docker.io</c>.</summary>
    public static string RegistryDomain(string? serverAddress)
    {
        string address = (serverAddress ?? "").Trim();
        int scheme = address.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            address = address[(scheme + 3)..];
        }

        int slash = address.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            address = address[..slash];
        }

        address = address.ToLowerInvariant();
        return address is "" or ImageReference.LegacyDefaultDomain or ImageReference.DefaultDomain or RegistryEndpoint.DockerHubApiHost
            ? ImageReference.DefaultDomain
            : address;
    }
}
