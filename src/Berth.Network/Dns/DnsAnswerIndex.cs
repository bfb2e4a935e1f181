using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net;
using Berth.Core.Networks;

namespace Berth.Network.Dns;

/// <summary>
/// What the resolver's fast path looks names up in: for each container, the name tables of the networks it
/// is on, each mapping a lower-case name to its <see cref="DnsAddressSet"/>. Looked up with a span of the
/// name as it comes off the wire, so an answered query allocates nothing. Built once per
/// <see cref="DnsNames"/> snapshot (immutable like it).
/// </summary>
internal sealed class DnsAnswerIndex
{
    private readonly FrozenDictionary<string, Table[]> tablesOfContainer;

    private DnsAnswerIndex(FrozenDictionary<string, Table[]> tablesOfContainer) => this.tablesOfContainer = tablesOfContainer;

    public static DnsAnswerIndex Build(
        ImmutableDictionary<string, ImmutableArray<NetworkId>> networksOfContainer,
        ImmutableDictionary<NetworkId, ImmutableDictionary<string, ImmutableArray<DnsEndpoint>>> names)
    {
        var tables = names.ToDictionary(
            n => n.Key,
            n => new Table(n.Value.ToDictionary(e => e.Key, e => AddressesOf(e.Value), StringComparer.Ordinal).ToFrozenDictionary(StringComparer.Ordinal)));
        return new DnsAnswerIndex(networksOfContainer.ToFrozenDictionary(
            c => c.Key,
            c => c.Value.Where(tables.ContainsKey).Select(n => tables[n]).ToArray(),
            StringComparer.Ordinal));
    }

    /// <summary>
    /// The addresses of <paramref name="lowerName"/> as <paramref name="askingContainerId"/> sees it; false
    /// when none of its networks has the name, or more than one has it (the general path merges those).
    /// </summary>
    public bool TryFind(string askingContainerId, ReadOnlySpan<char> lowerName, out DnsAddressSet? found)
    {
        found = null;
        if (!tablesOfContainer.TryGetValue(askingContainerId, out Table[]? tables))
        {
            return false;
        }

        foreach (Table table in tables)
        {
            if (table.Lookup.TryGetValue(lowerName, out DnsAddressSet? set))
            {
                if (found is not null)
                {
                    found = null;
                    return false;
                }

                found = set;
            }
        }

        return found is not null;
    }

    private static DnsAddressSet AddressesOf(ImmutableArray<DnsEndpoint> endpoints) => new(
        Concatenate(endpoints.Select(e => e.IPv4)),
        Concatenate(endpoints.Select(e => e.IPv6)));

    private static byte[] Concatenate(IEnumerable<IPAddress?> addresses) =>
        [.. addresses.OfType<IPAddress>().Distinct().Select(a => a.GetAddressBytes()).Order(AddressByteOrder.Instance).SelectMany(b => b)];

    private sealed class Table(FrozenDictionary<string, DnsAddressSet> names)
    {
        public FrozenDictionary<string, DnsAddressSet>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; } = names.GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
