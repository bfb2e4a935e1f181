using System.Collections.Immutable;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Core.Ports;
using Berth.Linux.Nftables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Firewall;

/// <summary>
/// The firewall of bridge networks in Berth's own nftables tables <c>inet berth</c> and <c>bridge berth</c>
/// (<see cref="FirewallRuleset"/>). Tables are rendered once by <see cref="Initialize"/>; a network is a handful of set
/// elements applied in one transaction. Other tables are only read where they hook forward, to keep Berth's narrow
/// accept rules (<see cref="ForeignChains"/>, comment <c>berth:&lt;bridge&gt;</c>) at the top of chains that would
/// drop Berth's traffic; nothing else in them is ever written.
/// </summary>
public sealed partial class NftablesNetworkFirewall : INetworkFirewall, IDisposable
{
    private readonly NftablesContext _nft;
    private readonly ILogger _logger;
    private readonly TimeSpan? _foreignCheckInterval;
    private Timer? _foreignCheck;
    private bool _disposed;

    // Initialize and RemoveBridge read before they write; one writer at a time keeps that consistent.
    private readonly Lock _gate = new();

    /// <param name="nft">The context of the namespace whose forwarding this firewall guards (the daemon's: the host's).</param>
    /// <param name="logger">Where to log.</param>
    /// <param name="foreignCheckInterval">
    /// How often to check, after <see cref="Initialize"/>, that Berth's accept rules are still in other tools' forward
    /// chains (a firewall reload such as <c>iptables-restore</c> or <c>firewall-cmd --reload</c> flushes them) and
    /// re-add them; null: only when a bridge is added or removed (tests call <see cref="ReconcileForeignChains"/>).
    /// </param>
    public NftablesNetworkFirewall(NftablesContext nft, ILogger<NftablesNetworkFirewall>? logger = null, TimeSpan? foreignCheckInterval = null)
    {
        ArgumentNullException.ThrowIfNull(nft);
        if (foreignCheckInterval is { } interval && interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(foreignCheckInterval), interval, "the check interval must be positive");
        }

        _nft = nft;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _foreignCheckInterval = foreignCheckInterval;
    }

    /// <summary>Berth's accept rules for one bridge at the top of another tool's forward chain, as they are inserted.</summary>
    public static ImmutableArray<NftRule> RenderForeignAccept(string bridge) => ForeignChains.AcceptRules(bridge);

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
            foreach (var table in FirewallRuleset.Tables)
            {
                string name = table.Reference.ToString();
                if (!_nft.TableExists(table.Reference))
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
            ReconcileForeignLocked();
            if (_foreignCheckInterval is { } interval && _foreignCheck is null && !_disposed)
            {
                _foreignCheck = new Timer(_ => CheckForeignChains(), null, interval, interval);
            }
        }
    }

    /// <summary>
    /// Makes Berth's accept rules in other tables' forward chains match Berth's bridges (the <c>bridges</c> set):
    /// inserted where a chain can drop, removed where the bridge is gone or the chain no longer drops. Failures are
    /// logged, never thrown: another tool's table is not Berth's to fail over, and the next check retries.
    /// </summary>
    public void ReconcileForeignChains()
    {
        lock (_gate)
        {
            ReconcileForeignLocked();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _foreignCheck?.Dispose();
            _foreignCheck = null;
        }
    }

    private void CheckForeignChains()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                ReconcileForeignLocked();
            }
            catch (ObjectDisposedException)
            {
                // The namespace's context is gone (the daemon is stopping): nothing left to guard.
                _disposed = true;
                _foreignCheck?.Dispose();
                _foreignCheck = null;
            }
        }
    }

    /// <summary>Runs under <see cref="_gate"/>.</summary>
    private void ReconcileForeignLocked()
    {
        try
        {
            var bridges = BridgesLocked();
            var chains = new List<(NftChainInfo, IReadOnlyList<NftRuleInfo>)>();
            foreach (var chain in _nft.ListChains().Where(ForeignChains.IsForeignForward))
            {
                try
                {
                    chains.Add((chain, _nft.ListRules(chain.Chain)));
                }
                catch (NftablesException e) when (e.Kind == ErrorKind.NotFound)
                {
                    _logger.ForeignChainVanished(chain.Chain.ToString());
                }
            }

            var batch = ForeignChains.Plan(chains, bridges);
            if (batch.IsEmpty)
            {
                return;
            }

            _nft.Apply(batch, "Berth's accept rules in other tables' forward chains");
            _logger.ForeignRulesUpdated(batch.Count, string.Join(", ", chains.Select(c => c.Item1.Chain.ToString())));
        }
        catch (BerthException e)
        {
            _logger.ForeignRulesFailed(e.Message);
        }
        catch (JsonException e)
        {
            _logger.ForeignRulesFailed($"nft printed a listing that is not JSON: {e.Message}");
        }
    }

    /// <summary>The interfaces in Berth's <c>bridges</c> and <c>entries</c> sets; none when Berth's table does not exist.</summary>
    private ImmutableHashSet<string> BridgesLocked()
    {
        try
        {
            return _nft.ListElements(FirewallRuleset.Inet.Family, FirewallRuleset.Inet.Name, FirewallRuleset.Bridges)
                .Concat(_nft.ListElements(FirewallRuleset.Inet.Family, FirewallRuleset.Inet.Name, FirewallRuleset.Entries))
                .Select(e => e.Trim('"')).Where(NftInterfaceName.IsValid).ToImmutableHashSet(StringComparer.Ordinal);
        }
        catch (NftablesException e) when (e.Kind == ErrorKind.NotFound)
        {
            return [];
        }
    }

    public void AddEntry(string iface)
    {
        var name = new NftInterfaceName(iface);
        lock (_gate)
        {
            Apply(new NftBatch().AddElements(FirewallRuleset.Inet, FirewallRuleset.Entries, [name]), $"entry interface \"{iface}\": cannot let its traffic through",
                "make sure the firewall was initialized (berthd does it at start)");
            ReconcileForeignLocked();
        }

        _logger.EntryAdded(iface);
    }

    public void RemoveEntry(string iface)
    {
        var name = new NftInterfaceName(iface);
        lock (_gate)
        {
            TryApply(new NftBatch().DeleteElements(FirewallRuleset.Inet, FirewallRuleset.Entries, [name]));
            ReconcileForeignLocked();
        }

        _logger.EntryRemoved(iface);
    }

    public void AddBridge(BridgeRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var batch = FirewallRuleset.AddBatch(rules);
        lock (_gate)
        {
            Apply(batch, $"network bridge \"{rules.Bridge}\": cannot install its firewall rules",
                "make sure the firewall was initialized (berthd does it at start) and the subnets do not overlap another network's");
            ReconcileForeignLocked();
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

            ReconcileForeignLocked();
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

            // No bridges set any more: every berth:<bridge> rule in other tables goes.
            ReconcileForeignLocked();
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
