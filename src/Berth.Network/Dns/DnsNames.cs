using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Berth.Core.Networks;

namespace Berth.Network.Dns;

/// <summary>
/// One immutable snapshot of every name the resolver answers: the endpoints, and indexes built from
/// them (the networks of each container, names and PTR targets per network, each container's own link
/// aliases). A change makes a new snapshot; <see cref="DnsRegistry"/> publishes it atomically, so a query
/// never sees half a change.
/// </summary>
public sealed record DnsNames
{
    /// <summary>TTL of Berth's own answers; Docker's resolver uses the same 600 s (libnetwork <c>respTTL</c>).</summary>
    public const uint RecordTtlSeconds = 600;

    public static readonly DnsNames Empty = new(ImmutableDictionary<(string ContainerId, NetworkId Network), DnsEndpoint>.Empty);

    private readonly ImmutableDictionary<string, ImmutableArray<NetworkId>> networksOfContainer;
    private readonly ImmutableDictionary<NetworkId, ImmutableDictionary<string, ImmutableArray<DnsEndpoint>>> names;
    private readonly ImmutableDictionary<NetworkId, ImmutableDictionary<IPAddress, string>> pointers;
    private readonly ImmutableDictionary<(string ContainerId, NetworkId Network), ImmutableDictionary<string, string>> links;

    private DnsNames(ImmutableDictionary<(string ContainerId, NetworkId Network), DnsEndpoint> endpoints)
    {
        Endpoints = endpoints;
        var ofContainer = new Dictionary<string, List<NetworkId>>(StringComparer.Ordinal);
        var byNetwork = new Dictionary<NetworkId, Dictionary<string, List<DnsEndpoint>>>();
        var pointersByNetwork = new Dictionary<NetworkId, Dictionary<IPAddress, string>>();
        var linksByEndpoint = ImmutableDictionary.CreateBuilder<(string ContainerId, NetworkId Network), ImmutableDictionary<string, string>>();
        foreach (DnsEndpoint endpoint in endpoints.Values.OrderBy(e => e.ContainerId, StringComparer.Ordinal))
        {
            Add(ofContainer, endpoint.ContainerId, endpoint.NetworkId);
            if (!byNetwork.TryGetValue(endpoint.NetworkId, out var networkNames))
            {
                byNetwork[endpoint.NetworkId] = networkNames = new Dictionary<string, List<DnsEndpoint>>(StringComparer.Ordinal);
                pointersByNetwork[endpoint.NetworkId] = [];
            }

            foreach (string name in endpoint.Names().Distinct(StringComparer.Ordinal))
            {
                Add(networkNames, name, endpoint);
            }

            if (!endpoint.Links.IsEmpty)
            {
                // The first link of an alias wins, as a second --link with the same alias cannot mean both.
                linksByEndpoint[(endpoint.ContainerId, endpoint.NetworkId)] = endpoint.LinkNames()
                    .DistinctBy(p => p.Key, StringComparer.Ordinal)
                    .ToImmutableDictionary(StringComparer.Ordinal);
            }

            foreach (IPAddress? address in endpoint.ServiceRecord ? [] : new[] { endpoint.IPv4, endpoint.IPv6 })
            {
                if (address is not null)
                {
                    pointersByNetwork[endpoint.NetworkId][address] = endpoint.PointerTarget;
                }
            }
        }

        networksOfContainer = ofContainer.ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutableArray(), StringComparer.Ordinal);
        names = byNetwork.ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutableDictionary(q => q.Key, q => q.Value.ToImmutableArray(), StringComparer.Ordinal));
        pointers = pointersByNetwork.ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutableDictionary());
        links = linksByEndpoint.ToImmutable();
    }

    private DnsAnswerIndex? answerIndex;

    /// <summary>The fast path's index of this snapshot, built on first use (a race builds it twice, harmlessly).</summary>
    internal DnsAnswerIndex AnswerIndex => answerIndex ??= DnsAnswerIndex.Build(networksOfContainer, names);

    /// <summary>Every endpoint by container id and network.</summary>
    public ImmutableDictionary<(string ContainerId, NetworkId Network), DnsEndpoint> Endpoints { get; }

    /// <summary>Names compare case-insensitively (RFC 4343) and without the final dot.</summary>
    public static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();

    /// <summary>This snapshot with <paramref name="endpoint"/> added, or replacing the container's endpoint on that network.</summary>
    public DnsNames With(DnsEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new DnsNames(Endpoints.SetItem((endpoint.ContainerId, endpoint.NetworkId), endpoint));
    }

    /// <summary>
    /// This snapshot with many endpoints set and removed at once, built once (a watch delivering a thousand other nodes'
    /// endpoints must not rebuild the names a thousand times). Removals apply after the sets.
    /// </summary>
    public DnsNames WithChanges(IEnumerable<DnsEndpoint> set, IEnumerable<(string ContainerId, NetworkId Network)> removed)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(removed);
        var endpoints = Endpoints.ToBuilder();
        foreach (DnsEndpoint endpoint in set)
        {
            endpoints[(endpoint.ContainerId, endpoint.NetworkId)] = endpoint;
        }

        foreach (var key in removed)
        {
            endpoints.Remove(key);
        }

        var changed = endpoints.ToImmutable();
        return ReferenceEquals(changed, Endpoints) ? this : new DnsNames(changed);
    }

    public DnsNames WithoutEndpoint(string containerId, NetworkId network)
    {
        var key = (containerId, network);
        return Endpoints.ContainsKey(key) ? new DnsNames(Endpoints.Remove(key)) : this;
    }

    public DnsNames WithoutContainer(string containerId)
    {
        var keys = Endpoints.Keys.Where(k => k.ContainerId == containerId).ToList();
        return keys.Count == 0 ? this : new DnsNames(Endpoints.RemoveRange(keys));
    }

    /// <summary>
    /// Answers <paramref name="question"/> for the container <paramref name="askingContainerId"/>, from the
    /// networks it shares with the target only. Several addresses come in a stable order (by address);
    /// <see cref="DnsRegistry"/> rotates it per query. The asker's own link aliases come first, as in
    /// libnetwork's <c>Sandbox.ResolveName</c>: on each of its networks where the name is one of its link aliases,
    /// the linked name is looked up on that network only; where it is, the name is not looked up as an ordinary one.
    /// </summary>
    public DnsLookup Lookup(string askingContainerId, DnsQuestion question)
    {
        if (question.Class != DnsWire.ClassInternet || !networksOfContainer.TryGetValue(askingContainerId, out var networks))
        {
            return DnsLookup.NotFound;
        }

        if (question.Type == DnsRecordType.Ptr)
        {
            if (ReverseName.TryParse(question.Name, out IPAddress? address))
            {
                foreach (NetworkId network in networks)
                {
                    if (pointers.TryGetValue(network, out var ofNetwork) && ofNetwork.TryGetValue(address!, out string? target))
                    {
                        return new DnsLookup(DnsLookupKind.Answered, [DnsRecord.ForPointer(question.Name, target, RecordTtlSeconds)]);
                    }
                }
            }

            return DnsLookup.NotFound;
        }

        string key = Normalize(question.Name);
        var targets = new List<DnsEndpoint>();
        foreach (NetworkId network in networks)
        {
            if (LinkTarget(askingContainerId, network, key) is { } linked && Find(network, linked) is { } found)
            {
                targets.AddRange(found);
            }
        }

        if (targets.Count == 0)
        {
            foreach (NetworkId network in networks)
            {
                if (LinkTarget(askingContainerId, network, key) is null && Find(network, key) is { } found)
                {
                    targets.AddRange(found);
                }
            }
        }

        if (targets.Count == 0)
        {
            return DnsLookup.NotFound;
        }

        AddressFamily? family = question.Type switch
        {
            DnsRecordType.A => AddressFamily.InterNetwork,
            DnsRecordType.Aaaa => AddressFamily.InterNetworkV6,
            _ => null,
        };
        if (family is null)
        {
            return DnsLookup.NoData;
        }

        var addresses = targets
            .Select(t => family == AddressFamily.InterNetwork ? t.IPv4 : t.IPv6)
            .OfType<IPAddress>()
            .Distinct()
            .OrderBy(a => a.GetAddressBytes(), AddressByteOrder.Instance)
            .ToList();
        if (addresses.Count == 0)
        {
            return DnsLookup.NoData;
        }

        return new DnsLookup(DnsLookupKind.Answered, [.. addresses.Select(a => DnsRecord.ForAddress(question.Name, a, RecordTtlSeconds))]);
    }

    /// <summary>The name <paramref name="key"/> stands for when it is one of the asker's link aliases on <paramref name="network"/>.</summary>
    private string? LinkTarget(string askingContainerId, NetworkId network, string key) =>
        links.TryGetValue((askingContainerId, network), out var aliases) && aliases.TryGetValue(key, out string? target) ? target : null;

    private ImmutableArray<DnsEndpoint>? Find(NetworkId network, string key) =>
        names.TryGetValue(network, out var ofNetwork) && ofNetwork.TryGetValue(key, out var found) ? found : null;

    /// <summary>True if <paramref name="containerId"/> has an endpoint in this snapshot.</summary>
    public bool Knows(string containerId) => networksOfContainer.ContainsKey(containerId);

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }
}
