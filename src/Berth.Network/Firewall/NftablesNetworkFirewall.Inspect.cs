using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Linux.Nftables;

namespace Berth.Network.Firewall;

/// <summary>Reading Berth's firewall back for <c>berth doctor</c>: only Berth's own tables are parsed; other tools' forward chains are read as the reconcile reads them.</summary>
public sealed partial class NftablesNetworkFirewall
{
    public FirewallHealth Inspect()
    {
        lock (_gate)
        {
            var missing = ImmutableArray.CreateBuilder<string>();
            var changed = ImmutableArray.CreateBuilder<string>();
            foreach (var table in FirewallRuleset.Tables)
            {
                string name = table.Reference.ToString();
                if (!_nft.TableExists(table.Reference))
                {
                    missing.Add(name);
                }
                else if (!FirewallShape.Matches(_nft.ListJson($"list table {name}"), table))
                {
                    changed.Add(name);
                }
            }

            var bridges = BridgesLocked();
            var chains = ImmutableArray.CreateBuilder<ForeignChainHealth>();
            foreach (var chain in _nft.ListChains().Where(ForeignChains.IsForeignForward))
            {
                IReadOnlyList<NftRuleInfo> rules;
                try
                {
                    rules = _nft.ListRules(chain.Chain);
                }
                catch (NftablesException e) when (e.Kind == ErrorKind.NotFound)
                {
                    continue; // gone while we looked
                }

                chains.Add(new ForeignChainHealth(chain.Chain.ToString(), chain.Policy, ForeignChains.NeedsAccept(chain, rules), ForeignChains.MissingAccept(chain, rules, bridges)));
            }

            return new FirewallHealth
            {
                MissingTables = missing.ToImmutable(),
                ChangedTables = changed.ToImmutable(),
                Bridges = [.. bridges.Order(StringComparer.Ordinal)],
                ForeignChains = chains.ToImmutable(),
            };
        }
    }
}
