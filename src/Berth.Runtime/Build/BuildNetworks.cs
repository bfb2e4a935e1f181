using System.Security.Cryptography;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Network.Containers;
using Berth.Network.Dns;
using Berth.Network.Endpoints;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Build;

/// <summary>
/// The networks builds' <c>RUN</c> steps run on (<c>docker build --network</c>, Docker 20.10's classic builder):
/// <c>host</c> and <c>none</c> need nothing made; the default bridge (<c>default</c>, <c>bridge</c>, unset) or a
/// network named by the user get one endpoint per build — a namespace wired by the network layer exactly as a
/// container's, with the resolver a container there would have — which every step of the build joins and which goes
/// when the build ends. Docker gives each step container an endpoint of its own; one per build is the same network
/// for the steps without a veth and an address per step.
/// </summary>
/// <remarks>
/// A build's endpoint is owned by an id that no container can have (<see cref="IdPrefix"/>, containers' ids are hex),
/// so after a crash <see cref="ReleaseLeftoversAsync"/> finds what a build held — endpoints, addresses, namespaces —
/// and releases it: no build outlives berthd.
/// </remarks>
public sealed class BuildNetworks(ContainerNetworks networks, EndpointManager endpoints, NamespaceManager namespaces, ILogger logger)
{
    /// <summary>The owner id's prefix; the namespace is <c>c-build-xxxxxx</c> (<see cref="ContainerNetworks.NamespaceName"/>).</summary>
    public const string IdPrefix = "build-";

    private const string HostResolvConfPath = "/etc/resolv.conf";
    private const int IdRandomBytes = 16;
    private const int IdAttempts = 8;

    private static readonly string NamespacePrefix = ContainerNetworks.NamespaceName(IdPrefix);

    /// <summary>The network for one build's steps; <paramref name="mode"/> is <c>docker build --network</c>'s value.</summary>
    public async Task<BuildNetworkLease> LeaseAsync(string mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mode);
        switch (mode)
        {
            case NetworkMode.HostText:
                return new BuildNetworkLease(BuildNetwork.Host, null, null);
            case NetworkMode.NoneText:
                return new BuildNetworkLease(BuildNetwork.None, null, null);
        }

        if (mode.StartsWith(NetworkMode.ContainerPrefix, StringComparison.Ordinal))
        {
            throw new BerthException(ErrorKind.NotSupported,
                $"network mode \"{mode}\" is not supported for builds; use default, bridge, host, none or a network's name");
        }

        string id = NewId();
        var state = await networks.PrepareAsync(new ContainerNetworkRequest { ContainerId = id, ContainerName = id, NetworkMode = mode }, cancellationToken).ConfigureAwait(false);
        try
        {
            bool embedded = false;
            foreach (var endpoint in state.Endpoints.Where(e => !e.Hidden))
            {
                embedded |= ContainerDns.IsUserDefined(await endpoints.FindNetworkAsync(endpoint.NetworkId.Value, cancellationToken).ConfigureAwait(false), endpoints.Drivers);
            }

            string host = File.Exists(HostResolvConfPath) ? await File.ReadAllTextAsync(HostResolvConfPath, cancellationToken).ConfigureAwait(false) : "";
            BuildLog.NetworkLeased(logger, id, mode, state.NamespacePath ?? "");
            return new BuildNetworkLease(
                BuildNetwork.Namespace(state.NamespacePath ?? throw new InvalidOperationException("a bridged build network has a namespace")),
                ResolvConf.Render(ResolvConf.Parse(host), embedded),
                () => ReleaseAsync(id));
        }
        catch
        {
            await ReleaseAsync(id).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>berthd's start: the endpoints and namespaces of builds that a crash interrupted are released; returns how many builds held some.</summary>
    public async Task<int> ReleaseLeftoversAsync(CancellationToken cancellationToken = default)
    {
        var owners = endpoints.Owners(id => id.StartsWith(IdPrefix, StringComparison.Ordinal));
        foreach (string id in owners)
        {
            await networks.ReleaseAsync(id, id, cancellationToken).ConfigureAwait(false);
            BuildLog.NetworkLeftoverReleased(logger, id);
        }

        foreach (string name in namespaces.List().Where(n => n.StartsWith(NamespacePrefix, StringComparison.Ordinal)))
        {
            namespaces.Delete(name);
        }

        return owners.Count;
    }

    private async Task ReleaseAsync(string id)
    {
        await networks.ReleaseAsync(id, id, CancellationToken.None).ConfigureAwait(false);
        BuildLog.NetworkReleased(logger, id);
    }

    // Unique among the builds running here: neither an endpoint nor a namespace of that name exists.
    private string NewId()
    {
        for (int attempt = 0; attempt < IdAttempts; attempt++)
        {
            string id = IdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdRandomBytes));
            if (endpoints.OfContainer(id).Count == 0 && !namespaces.Exists(ContainerNetworks.NamespaceName(id)))
            {
                return id;
            }
        }

        throw new BerthException(ErrorKind.Conflict, "could not find a free name for the build's network namespace; try again");
    }
}
