using System.Collections.Immutable;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Reliability;

/// <summary>
/// The kernel's side of what berthd made, seen with ip and nft (test assertions only): the docker host's links,
/// its nftables tables (Berth's among them), and the machine's named network namespaces.
/// </summary>
public sealed record KernelSnapshot(ImmutableSortedSet<string> Links, ImmutableSortedSet<string> NftTables, ImmutableSortedSet<string> Netns)
{
    public static KernelSnapshot Take(LabHost host) => new(
        Lines(host.Ip("-o", "link", "show")).Select(line => line.Split(':', 3)[1].Trim().Split('@')[0]).ToImmutableSortedSet(StringComparer.Ordinal),
        Lines(Cmd.Check("ip", "netns", "exec", host.NetnsName, "nft", "list", "tables")).ToImmutableSortedSet(StringComparer.Ordinal),
        Lines(Cmd.Check("ip", "netns", "list")).Select(line => line.Split(' ')[0]).ToImmutableSortedSet(StringComparer.Ordinal));

    /// <summary>What this snapshot has that <paramref name="before"/> had not, and the reverse, one line each.</summary>
    public IReadOnlyList<string> Differences(KernelSnapshot before) =>
    [
        .. Links.Except(before.Links).Select(l => "link added: " + l), .. before.Links.Except(Links).Select(l => "link gone: " + l),
        .. NftTables.Except(before.NftTables).Select(t => "nft table added: " + t), .. before.NftTables.Except(NftTables).Select(t => "nft table gone: " + t),
        .. Netns.Except(before.Netns).Select(n => "netns added: " + n), .. before.Netns.Except(Netns).Select(n => "netns gone: " + n),
    ];

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
