using System.Collections.Immutable;
using System.Diagnostics;

namespace Berth.Fuzzing;

/// <summary>
/// The kernel's side of what berthd made, seen with ip and nft (tests and bench only): the links of berthd's namespace,
/// its nftables tables (Berth's among them), and the network namespaces berthd pinned under its exec root (the
/// machine's own list also holds other tests' labs).
/// </summary>
public sealed record KernelSnapshot(ImmutableSortedSet<string> Links, ImmutableSortedSet<string> NftTables, ImmutableSortedSet<string> Netns)
{
    /// <summary><paramref name="netns"/>: the name (under /run/netns) of the namespace berthd runs in.</summary>
    public static KernelSnapshot Take(string netns, string execRoot) => new(
        Lines(Run("ip", "-n", netns, "-o", "link", "show")).Select(line => line.Split(':', 3)[1].Trim().Split('@')[0]).ToImmutableSortedSet(StringComparer.Ordinal),
        Lines(Run("ip", "netns", "exec", netns, "nft", "list", "tables")).ToImmutableSortedSet(StringComparer.Ordinal),
        (Directory.Exists(Path.Combine(execRoot, "netns")) ? Directory.GetFileSystemEntries(Path.Combine(execRoot, "netns")) : []).ToImmutableSortedSet(StringComparer.Ordinal));

    /// <summary>What this snapshot has that <paramref name="before"/> had not, and the reverse, one line each.</summary>
    public IReadOnlyList<string> Differences(KernelSnapshot before) =>
    [
        .. Links.Except(before.Links).Select(l => "link added: " + l), .. before.Links.Except(Links).Select(l => "link gone: " + l),
        .. NftTables.Except(before.NftTables).Select(t => "nft table added: " + t), .. before.NftTables.Except(NftTables).Select(t => "nft table gone: " + t),
        .. Netns.Except(before.Netns).Select(n => "netns added: " + n), .. before.Netns.Except(Netns).Select(n => "netns gone: " + n),
    ];

    private static string Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"cannot start {program}");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {error.Result}");
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
