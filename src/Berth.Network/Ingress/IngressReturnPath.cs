using System.Net;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Linux;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Routes;
using Berth.Linux.Rules;

namespace Berth.Network.Ingress;

/// <summary>
/// Keeps, in one ingress task's namespace, the way back through the node each connection came in by: the
/// <see cref="IngressRuleset.Task"/> table, and per entry <c>ip rule fwmark M lookup M pref 100</c> with
/// <c>default via &lt;entry&gt; dev &lt;ingress interface&gt;</c> in table M. <see cref="Apply"/> is idempotent and makes
/// exactly the given entries' rules exist (entries that left lose theirs), so it follows the entries as nodes come and go.
/// </summary>
public static class IngressReturnPath
{
    /// <summary>The priority of the entries' rules: before the main table (32766), after the local one (0).</summary>
    public const int RulePriority = 100;

    public static void Apply(NetworkNamespace task, string ingressInterface, IReadOnlyCollection<IngressEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(entries);
        int index = task.Links.Get(ingressInterface).Index;
        var wanted = entries.Distinct().ToDictionary(e => e.Mark);

        // Routes first, then rules, then the marks: a connection is never marked towards a table that is not ready.
        foreach (var entry in wanted.Values)
        {
            task.Rtnl.Routes.Replace(new RouteSpec
            {
                Gateway = entry.Address,
                Device = LinkRef.ByIndex(index),
                Table = entry.Table,
                OnLink = true,
            });
        }

        var existing = task.Rtnl.Rules.List(AddressFamily.InterNetwork).Where(r => r.Priority == RulePriority && r.FwMark is not null).ToList();
        foreach (var mark in wanted.Keys.Except(existing.Select(r => r.FwMark!.Value)))
        {
            task.Rtnl.Rules.Add(Rule(mark));
        }

        task.Nft.Apply(IngressRuleset.Task(ingressInterface, wanted.Values), "the ingress return path");

        foreach (var gone in existing.Where(r => !wanted.ContainsKey(r.FwMark!.Value)))
        {
            task.Rtnl.Rules.TryDelete(Rule(gone.FwMark!.Value));
            try
            {
                task.Rtnl.Routes.Delete(new RouteSpec { Destination = new IPNetwork(IPAddress.Any, 0), Table = (int)gone.FwMark!.Value });
            }
            catch (KernelException e) when (e.Kind == ErrorKind.NotFound)
            {
                // Already gone with the interface, or removed by an earlier Apply that failed after it.
            }
        }
    }

    private static RuleSpec Rule(uint mark) => new() { FwMark = mark, Table = (int)mark, Priority = RulePriority };
}
