using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Drivers;
using Berth.Network.Networks;

namespace Berth.Network.Containers;

/// <summary>
/// Docker's <c>docker_gwbridge</c>: the local bridge network through which containers on overlays reach the outside
/// (masqueraded) and are reached on their published ports, with containers kept from each other on it (icc off). Made
/// the first time a container needs it; a network of that name the user made first is used as it is, as Docker does.
/// </summary>
public sealed class GatewayBridge(NetworkManager networks)
{
    public const string Name = "docker_gwbridge";

    public async Task<NetworkState> EnsureAsync(CancellationToken cancellationToken = default)
    {
        if (await FindAsync(cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var options = ImmutableDictionary<string, string>.Empty
            .Add(BridgeOptions.EnableIcc, "false")
            .Add(BridgeOptions.EnableIpMasquerade, "true");
        try
        {
            try
            {
                return await networks.CreateAsync(Config(options.Add(BridgeOptions.Name, Name)), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.InvalidArgument && e.Message.Contains("already exists on the host", StringComparison.Ordinal))
            {
                // Docker's own docker_gwbridge on this host: ours takes a br- name beside it.
                return await networks.CreateAsync(Config(options), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (BerthException e) when (e.Kind == ErrorKind.Conflict)
        {
            // Made by another container's start meanwhile.
            return await FindAsync(cancellationToken).ConfigureAwait(false) ?? throw new BerthException(ErrorKind.Conflict, e.Message);
        }
    }

    private static NetworkConfig Config(ImmutableDictionary<string, string> options) => new() { Name = Name, Driver = NetworkDrivers.Bridge, Options = options };

    private async Task<NetworkState?> FindAsync(CancellationToken cancellationToken) =>
        (await networks.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(n => n.Name == Name && !NetworkManager.IsSwarmScoped(n));
}
