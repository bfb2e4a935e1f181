using Berth.Core.Errors;
using Berth.Core.Ports;
using Berth.Linux.Nftables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Firewall;

/// <summary>
/// The firewall of bridge networks in Berth's own nftables tables <c>inet berth</c> and <c>bridge berth</c>
/// (<see cref="FirewallRuleset"/>). Tables are rendered once by <see cref="Initialize"/>; a network is a handful of set
/// elements applied in one transaction. Other tables in the namespace are never read or touched.
/// </summary>
public sealed class NftablesNetworkFirewall : INetworkFirewall
{
    private readonly NftablesContext _nft;
    private readonly ILogger _logger;

    // Initialize and RemoveBridge read before they write; one writer at a time keeps that consistent.
    private readonly Lock _gate = new();

    /// <param name="nft">The context of the namespace whose forwarding this firewall guards (the daemon's: the host's).</param>
    public NftablesNetworkFirewall(NftablesContext nft, ILogger<NftablesNetworkFirewall>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(nft);
        _nft = nft;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The batch that creates both tables from nothing (what <see cref="Initialize"/> applies on a fresh host).</summary>
    public static NftBatch RenderTables()
    {
        var batch = new NftBatch();
        foreach (var table in FirewallRuleset.Tables)
        {
            batch.ReplaceTable(table);
        }

        return batch;
    }

    /// <summary>The one transaction that installs a network's rules.</summary>
    public static NftBatch RenderAdd(BridgeRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return FirewallRuleset.AddBatch(rules);
    }

    /// <summary>The one transaction that removes a network's rules, present or not.</summary>
    public static NftBatch RenderRemove(BridgeRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return FirewallRuleset.RemoveBatch(rules);
    }

    public void Initialize()
    {
        lock (_gate)
        {
            var batch = new NftBatch();
            var existing = _nft.ListTables();
            foreach (var table in FirewallRuleset.Tables)
            {
                string name = table.Reference.ToString();
                if (!existing.Contains(table.Reference))
                {
                    batch.ReplaceTable(table);
                    _logger.TableCreated(name);
                }
                else if (!FirewallShape.Matches(_nft.ListJson($"list table {name}"), table))
                {
                    batch.ReplaceTable(table);
                    _logger.TableReplaced(name, FirewallRuleset.Fingerprint);
                }
                else
                {
                    _logger.TableKept(name, FirewallRuleset.Fingerprint);
                }
            }

            Apply(batch, "cannot set up Berth's firewall tables (inet berth, bridge berth)",
                "check that this kernel has nf_tables with the inet, bridge and nat families");
        }
    }

    public void AddBridge(BridgeRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var batch = FirewallRuleset.AddBatch(rules);
        lock (_gate)
        {
            Apply(batch, $"network bridge \"{rules.Bridge}\": cannot install its firewall rules",
                "make sure the firewall was initialized (berthd does it at start) and the subnets do not overlap another network's");
        }

        _logger.BridgeAdded(rules);
    }

    public void RemoveBridge(BridgeRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var batch = FirewallRuleset.RemoveBatch(rules);
        lock (_gate)
        {
            try
            {
                _nft.Apply(batch);
            }
            catch (NftablesException e) when (e.Kind == ErrorKind.NotFound && !FirewallRuleset.Tables.Any(t => _nft.TableExists(t.Reference)))
            {
                _logger.NothingToRemove(rules.Bridge);
                return;
            }
            catch (NftablesException e)
            {
                throw new BerthException(e.Kind,
                    $"network bridge \"{rules.Bridge}\": cannot remove its firewall rules; nothing was changed. {e.Message}", e);
            }
        }

        _logger.BridgeRemoved(rules);
    }

    public bool HasBridge(BridgeRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var wanted = FirewallRuleset.ElementsOf(rules);
        lock (_gate)
        {
            if (!FirewallRuleset.Tables.All(t => _nft.TableExists(t.Reference)))
            {
                return false;
            }

            foreach (var (table, set, elements) in wanted)
            {
                IReadOnlyList<string> listed;
                try
                {
                    listed = _nft.ListElements(table.Family, table.Name, set);
                }
                catch (NftablesException e) when (e.Kind == ErrorKind.NotFound)
                {
                    return false;
                }

                var present = listed.ToHashSet(StringComparer.Ordinal);
                if (!elements.All(e => present.Contains(e.Render())))
                {
                    return false;
                }
            }

            return true;
        }
    }

    public void AddPorts(IReadOnlyCollection<PublishedPort> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        if (ports.Count == 0)
        {
            return;
        }

        var batch = new NftBatch();
        foreach (var (map, elements) in FirewallRuleset.PortElements(ports))
        {
            batch.AddElements(FirewallRuleset.Inet, map, elements);
        }

        lock (_gate)
        {
            Apply(batch, $"cannot publish {string.Join(", ", ports)}", "another mapping may already use that host port; remove it first");
        }

        _logger.PortsAdded(ports.Count, string.Join(", ", ports));
    }

    public void RemovePorts(IReadOnlyCollection<PublishedPort> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        if (ports.Count == 0)
        {
            return;
        }

        // One transaction; should any element be gone already (a crash between kernel and record), one by one.
        var batch = new NftBatch();
        var grouped = FirewallRuleset.PortElements(ports).ToList();
        foreach (var (map, elements) in grouped)
        {
            batch.DeleteElements(FirewallRuleset.Inet, map, elements);
        }

        lock (_gate)
        {
            try
            {
                _nft.Apply(batch);
            }
            catch (NftablesException e) when (e.Kind == ErrorKind.NotFound)
            {
                // Some are gone already (or the table is): remove the rest one by one.
                foreach (var (map, elements) in grouped)
                {
                    foreach (var element in elements)
                    {
                        TryApply(new NftBatch().DeleteElements(FirewallRuleset.Inet, map, [element]));
                    }
                }
            }
            catch (NftablesException e)
            {
                throw new BerthException(e.Kind, $"cannot withdraw published ports {string.Join(", ", ports)}; nothing was changed. {e.Message}", e);
            }
        }

        _logger.PortsRemoved(ports.Count, string.Join(", ", ports));
    }

    public void ReplacePorts(IReadOnlyCollection<PublishedPort> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var batch = new NftBatch();
        foreach (string map in FirewallRuleset.PortMaps)
        {
            batch.FlushMap(FirewallRuleset.Inet, map);
        }

        foreach (var (map, elements) in FirewallRuleset.PortElements(ports))
        {
            batch.AddElements(FirewallRuleset.Inet, map, elements);
        }

        lock (_gate)
        {
            Apply(batch, "cannot restore the published ports", "check the nft error below");
        }
    }

    public void RemoveAll()
    {
        var batch = new NftBatch();
        foreach (var table in FirewallRuleset.Tables)
        {
            batch.DeleteTable(table.Reference);
        }

        lock (_gate)
        {
            Apply(batch, "cannot remove Berth's firewall tables (inet berth, bridge berth)", "check the nft error below");
        }

        _logger.RemovedAll();
    }

    private void TryApply(NftBatch batch)
    {
        try
        {
            _nft.Apply(batch);
        }
        catch (NftablesException e) when (e.Kind == ErrorKind.NotFound)
        {
            // already gone
        }
    }

    private void Apply(NftBatch batch, string what, string advice)
    {
        try
        {
            _nft.Apply(batch);
        }
        catch (NftablesException e)
        {
            throw new BerthException(e.Kind, $"{what}; nothing was changed; {advice}. {e.Message}", e);
        }
    }
}
