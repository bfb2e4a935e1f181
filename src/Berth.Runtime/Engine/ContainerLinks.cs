using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Containers;
using Berth.Network.Endpoints;
using Berth.Network.Networks;

namespace Berth.Runtime.Engine;

/// <summary>
/// <c>--link NAME[:ALIAS]</c>, as Docker does it. On a user-defined network a link belongs to the endpoint
/// (<see cref="EndpointLink"/>: an alias only this container resolves through the embedded DNS; nothing is checked at
/// create). On the default bridge it is a legacy link: the linked container must exist at create and run on the
/// default bridge at start, and the linking container's /etc/hosts gets <c>IP ALIAS HOSTNAME NAME</c>.
/// </summary>
public sealed class ContainerLinks(ContainerRecords records, EndpointManager endpoints)
{
    private const string HostLinksMessage = "conflicting options: host type networking can't be used with links. This would result in undefined behavior";

    /// <summary>
    /// <c>HostConfig.Links</c> as Docker reads it at create: every link of the create request parsed, and for the
    /// default bridge (or none) each linked container found (moby's <c>registerLinks</c>, 400 when it is not there).
    /// </summary>
    public ImmutableArray<LegacyLink> Register(ContainerCreateSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        foreach (string endpointLink in spec.Endpoints.SelectMany(e => e.Links))
        {
            EndpointLink.Parse(endpointLink);
        }

        var links = spec.Links.Select(EndpointLink.Parse).ToList();
        var mode = spec.NetworkMode;
        if (links.Count == 0)
        {
            return [];
        }

        if (mode.IsHost)
        {
            throw new BerthException(ErrorKind.InvalidArgument, HostLinksMessage);
        }

        if (mode.IsContainer)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "conflicting options: container type network can't be used with links. This would result in undefined behavior");
        }

        if (mode.IsUserDefined)
        {
            // A user-defined network: the links travel with its endpoint (EndpointSpec.Links), unchecked, as in Docker.
            return [];
        }

        var result = ImmutableArray.CreateBuilder<LegacyLink>();
        foreach (var link in links)
        {
            ContainerRecord child;
            try
            {
                child = records.Find(link.Container);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
                // Not a 404: the docker CLI would take it for a missing image and try to pull it (moby#39823).
                throw new BerthException(ErrorKind.InvalidArgument, $"could not get container for {link.Container}: {e.Message}");
            }

            if (child.Spec.NetworkMode.IsHost)
            {
                throw new BerthException(ErrorKind.InvalidArgument, HostLinksMessage);
            }

            if (result.All(l => l.Alias != link.Alias))
            {
                result.Add(new LegacyLink(child.Id, link.Alias));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// The /etc/hosts lines of a container's legacy links (<see cref="LinkedAsync"/>): the linked container's addresses
    /// on the default bridge under the alias, its hostname and its name.
    /// </summary>
    public async Task<IReadOnlyList<HostsFile.Entry>> HostsEntriesAsync(ContainerRecord record, IEnumerable<EndpointState> endpointsOfRecord, bool strict, CancellationToken cancellationToken = default) =>
        HostsEntries(await LinkedAsync(record, endpointsOfRecord, strict, cancellationToken).ConfigureAwait(false));

    /// <summary>The /etc/hosts lines of <paramref name="linked"/>.</summary>
    public static IReadOnlyList<HostsFile.Entry> HostsEntries(IEnumerable<LinkedContainer> linked)
    {
        ArgumentNullException.ThrowIfNull(linked);
        var entries = new List<HostsFile.Entry>();
        foreach (var (link, child, onBridge) in linked)
        {
            string[] names = link.Alias == child.Name ? [link.Alias, child.EffectiveHostname()] : [link.Alias, child.EffectiveHostname(), child.Name];
            foreach (var address in new[] { onBridge.IPv4?.Address, onBridge.IPv6?.Address })
            {
                if (address is not null)
                {
                    entries.Add(new HostsFile.Entry(address, names));
                }
            }
        }

        return entries;
    }

    /// <summary>
    /// A container's legacy links, when it is on the default bridge: each linked container with its endpoint there. At
    /// start (<paramref name="strict"/>) a linked container that is not running or not on the default bridge is Docker's
    /// error; when the hosts file is only rewritten (connect, disconnect) it is left out. A linked container removed
    /// since is forgotten, as Docker does.
    /// </summary>
    public async Task<IReadOnlyList<LinkedContainer>> LinkedAsync(ContainerRecord record, IEnumerable<EndpointState> endpointsOfRecord, bool strict, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.LegacyLinks.IsEmpty)
        {
            return [];
        }

        NetworkId? bridge = await DefaultBridgeIdAsync(cancellationToken).ConfigureAwait(false);
        if (bridge is null || !endpointsOfRecord.Any(e => e.NetworkId == bridge))
        {
            return [];
        }

        var linked = new List<LinkedContainer>();
        foreach (var link in record.LegacyLinks)
        {
            if (records.TryGet(link.ChildId) is not { } child)
            {
                continue;
            }

            if (child.Status != ContainerStatus.Running)
            {
                if (strict)
                {
                    throw new BerthException(ErrorKind.InvalidArgument, $"Cannot link to a non running container: /{child.Name} AS /{record.Name}/{link.Alias}");
                }

                continue;
            }

            var onBridge = endpoints.OfContainer(child.Id.Value).FirstOrDefault(e => e.NetworkId == bridge);
            if (onBridge is null)
            {
                if (strict)
                {
                    throw new BerthException(ErrorKind.InvalidArgument, $"Cannot link to /{child.Name}, as it does not belong to the default network");
                }

                continue;
            }

            linked.Add(new LinkedContainer(link, child, onBridge));
        }

        return linked;
    }

    /// <summary>inspect's <c>HostConfig.Links</c>: <c>/child:/parent/alias</c> for each legacy link whose container still exists; null for none.</summary>
    public IReadOnlyList<string>? Shown(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var shown = record.LegacyLinks
            .Select(l => (Link: l, Child: records.TryGet(l.ChildId)))
            .Where(l => l.Child is not null)
            .Select(l => $"/{l.Child!.Name}:/{record.Name}/{l.Link.Alias}")
            .ToList();
        return shown.Count == 0 ? null : shown;
    }

    private async Task<NetworkId?> DefaultBridgeIdAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await endpoints.FindNetworkAsync(PredefinedNetworks.Bridge, cancellationToken).ConfigureAwait(false)).Id;
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            return null;
        }
    }
}
