using System.Globalization;
using System.Text;
using Berth.Linux.Nftables;

namespace Berth.Network.Ingress;

/// <summary>
/// The nftables text of the routing mesh, two tables, both without any SNAT:
/// <code>
/// # every node's host namespace: a connection to a published port of any local address goes to a task
/// table ip berth-ingress {
///   chain pre   { type nat hook prerouting priority dstnat; fib daddr type local jump ports }
///   chain out   { type nat hook output priority -100;       fib daddr type local jump ports }
///   chain ports { tcp dport 8080 goto pub-tcp-8080; … }
///   chain pub-tcp-8080 { numgen random mod N vmap { 0 : goto pub-tcp-8080-0, … } }
///   chain pub-tcp-8080-0 { meta l4proto tcp dnat ip to 10.0.0.5:80 }
/// }
/// # each ingress task's namespace: the way back through the node the connection came in by
/// table ip berth-ingress-rp {
///   map entries { type ether_addr : mark; elements = { &lt;entry MAC&gt; : &lt;entry mark&gt;, … } }
///   chain pre { type filter hook prerouting priority mangle; iifname "eth1" ct state new ct mark set ether saddr map @entries;
///               ct mark != 0 meta mark set ct mark }
///   chain out { type route hook output priority mangle; ct mark != 0 meta mark set ct mark }
/// }
/// </code>
/// With <c>ip rule fwmark M lookup M</c> and <c>default via &lt;entry&gt; dev eth1</c> in table M per entry
/// (<see cref="IngressReturnPath"/>), a reply leaves the task towards the entry its connection arrived from, and that
/// node's conntrack undoes the DNAT. The <c>route</c> hook re-routes a packet whose mark changed in output.
/// </summary>
public static class IngressRuleset
{
    public const string HostTableName = "berth-ingress";
    public const string TaskTableName = "berth-ingress-rp";

    public static readonly NftTableRef HostTable = new(NftFamily.Ip, HostTableName);
    public static readonly NftTableRef TaskTable = new(NftFamily.Ip, TaskTableName);

    /// <summary>The host table for <paramref name="publications"/>, replacing whatever was there (one transaction).</summary>
    public static string Host(IEnumerable<IngressPublication> publications)
    {
        ArgumentNullException.ThrowIfNull(publications);
        var text = new StringBuilder();
        Replace(text, HostTableName);
        text.Append(CultureInfo.InvariantCulture, $"add chain ip {HostTableName} pre {{ type nat hook prerouting priority dstnat; policy accept; }}\n");
        text.Append(CultureInfo.InvariantCulture, $"add chain ip {HostTableName} out {{ type nat hook output priority -100; policy accept; }}\n");
        text.Append(CultureInfo.InvariantCulture, $"add chain ip {HostTableName} ports\n");
        text.Append(CultureInfo.InvariantCulture, $"add rule ip {HostTableName} pre fib daddr type local jump ports\n");
        text.Append(CultureInfo.InvariantCulture, $"add rule ip {HostTableName} out fib daddr type local jump ports\n");
        foreach (var publication in publications.Where(p => !p.Backends.IsEmpty).OrderBy(p => p.Protocol, StringComparer.Ordinal).ThenBy(p => p.PublishedPort))
        {
            string chain = $"pub-{publication.Protocol}-{publication.PublishedPort}";
            var arms = new List<string>();
            for (int i = 0; i < publication.Backends.Length; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"add chain ip {HostTableName} {chain}-{i}\n");
                text.Append(CultureInfo.InvariantCulture, $"add rule ip {HostTableName} {chain}-{i} meta l4proto {publication.Protocol} dnat ip to {publication.Backends[i]}:{publication.TargetPort}\n");
                arms.Add($"{i} : goto {chain}-{i}");
            }

            text.Append(CultureInfo.InvariantCulture, $"add chain ip {HostTableName} {chain}\n");
            text.Append(CultureInfo.InvariantCulture, $"add rule ip {HostTableName} {chain} numgen random mod {publication.Backends.Length} vmap {{ {string.Join(", ", arms)} }}\n");
            text.Append(CultureInfo.InvariantCulture, $"add rule ip {HostTableName} ports {publication.Protocol} dport {publication.PublishedPort} goto {chain}\n");
        }

        return text.ToString();
    }

    /// <summary>The return-path table of one task whose ingress interface is <paramref name="ingressInterface"/>.</summary>
    public static string Task(string ingressInterface, IEnumerable<IngressEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Berth.Linux.Links.LinkName.Validate(ingressInterface);
        var text = new StringBuilder();
        Replace(text, TaskTableName);
        text.Append(CultureInfo.InvariantCulture, $"add map ip {TaskTableName} entries {{ type ether_addr : mark; }}\n");
        var elements = entries.Distinct().OrderBy(e => e.Mark).Select(e => $"{e.NftMac} : 0x{e.Mark:x8}").ToList();
        if (elements.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"add element ip {TaskTableName} entries {{ {string.Join(", ", elements)} }}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"add chain ip {TaskTableName} pre {{ type filter hook prerouting priority mangle; policy accept; }}\n");
        text.Append(CultureInfo.InvariantCulture, $"add chain ip {TaskTableName} out {{ type route hook output priority mangle; policy accept; }}\n");
        text.Append(CultureInfo.InvariantCulture, $"add rule ip {TaskTableName} pre iifname \"{ingressInterface}\" ct state new ct mark set ether saddr map @entries\n");
        text.Append(CultureInfo.InvariantCulture, $"add rule ip {TaskTableName} pre ct mark != 0 meta mark set ct mark\n");
        text.Append(CultureInfo.InvariantCulture, $"add rule ip {TaskTableName} out ct mark != 0 meta mark set ct mark\n");
        return text.ToString();
    }

    /// <summary>Creates the table (so that deleting it cannot fail), deletes it, creates it empty: one transaction replaces it whole.</summary>
    private static void Replace(StringBuilder text, string table)
    {
        text.Append(CultureInfo.InvariantCulture, $"add table ip {table}\n");
        text.Append(CultureInfo.InvariantCulture, $"delete table ip {table}\n");
        text.Append(CultureInfo.InvariantCulture, $"add table ip {table}\n");
    }
}
