using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// Network partitions of a lab's underlay, made in the LAN's own namespace (its switch, never a node's namespace nor
/// the machine's): a bridge-family nft table whose forward chain drops every IPv4 frame from or to a cut node's
/// address, so etcd, the join and node channels, VXLAN and the routing mesh between that node and every other host
/// all stop at once while each side still runs. ARP still passes, as over a switch whose IP traffic is filtered.
/// </summary>
public sealed class UnderlayPartition(LabLan lan)
{
    /// <summary>Not Berth's: berthd never looks at the LAN's namespace, and the table goes with it at teardown.</summary>
    private const string Table = "lab_chaos";

    private readonly HashSet<string> _cut = new(StringComparer.Ordinal);

    /// <summary>The addresses cut off now.</summary>
    public IReadOnlyCollection<string> Cut => _cut;

    /// <summary>Drops every frame from or to <paramref name="address"/> at the switch, both ways, from now on.</summary>
    public void Isolate(string address)
    {
        if (_cut.Add(address))
        {
            Apply();
        }
    }

    /// <summary>Lets <paramref name="address"/>'s traffic through again.</summary>
    public void Heal(string address)
    {
        if (_cut.Remove(address))
        {
            Apply();
        }
    }

    /// <summary>The table's rules as nft lists them (for failure messages).</summary>
    public string Rules => Cmd.Run("ip", "netns", "exec", lan.NetnsName, "nft", "list", "table", "bridge", Table).Output;

    /// <summary>The whole table replaced in one nft transaction: the cut set as it is now.</summary>
    private void Apply()
    {
        var rules = string.Concat(_cut.Select(address => $"    ip saddr {address} drop\n    ip daddr {address} drop\n"));
        string script = $"table bridge {Table}\ndelete table bridge {Table}\n"
            + (_cut.Count == 0 ? "" : $"table bridge {Table} {{\n  chain forward {{\n    type filter hook forward priority -200; policy accept;\n{rules}  }}\n}}\n");
        string file = Path.Combine(Path.GetTempPath(), $"lab-chaos-{lan.NetnsName}.nft");
        File.WriteAllText(file, script);
        try
        {
            Cmd.Check("ip", "netns", "exec", lan.NetnsName, "nft", "-f", file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
