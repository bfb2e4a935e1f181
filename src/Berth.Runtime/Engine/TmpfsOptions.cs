using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Engine;

/// <summary>
/// <c>--tmpfs PATH:OPTIONS</c>'s options as moby mounts them: <c>noexec,nosuid,nodev</c> first, then the user's, a later
/// flag replacing an earlier one and its opposite (<c>exec</c> undoes <c>noexec</c>) and a later <c>key=value</c> an
/// earlier one of the same key (moby <c>mount.MergeTmpfsOptions</c>). Options tmpfs does not take are refused here,
/// not by the kernel at start.
/// </summary>
public static class TmpfsOptions
{
    private static readonly ImmutableArray<string> Defaults = ["noexec", "nosuid", "nodev"];

    /// <summary>Flags and their opposites (mount(8)).</summary>
    private static readonly ImmutableDictionary<string, string> Opposites = new Dictionary<string, string>
    {
        ["exec"] = "noexec", ["noexec"] = "exec",
        ["suid"] = "nosuid", ["nosuid"] = "suid",
        ["dev"] = "nodev", ["nodev"] = "dev",
        ["ro"] = "rw", ["rw"] = "ro",
        ["atime"] = "noatime", ["noatime"] = "atime",
        ["diratime"] = "nodiratime", ["nodiratime"] = "diratime",
        ["relatime"] = "norelatime", ["norelatime"] = "relatime",
        ["strictatime"] = "nostrictatime", ["nostrictatime"] = "strictatime",
        ["sync"] = "async", ["async"] = "sync",
        ["dirsync"] = "", ["mand"] = "nomand", ["nomand"] = "mand",
    }.ToImmutableDictionary();

    /// <summary>tmpfs(5)'s own <c>key=value</c> options.</summary>
    private static readonly ImmutableHashSet<string> Keys = ["size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "huge", "mpol", "inode64", "noswap"];

    /// <summary>The options to mount the tmpfs at <paramref name="destination"/> with, from the flag's <paramref name="data"/>.</summary>
    public static TmpfsMount Mount(string destination, string data)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.StartsWith('/'))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid mount config for type \"tmpfs\": invalid mount path: '{destination}' mount path must be absolute");
        }

        var merged = new List<string>(Defaults);
        foreach (string option in (data ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = option.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                string key = option[..equals];
                if (!Keys.Contains(key))
                {
                    throw Invalid(destination, option);
                }

                merged.RemoveAll(o => o.StartsWith(key + "=", StringComparison.Ordinal));
            }
            else if (Opposites.TryGetValue(option, out string? opposite))
            {
                merged.RemoveAll(o => o == option || o == opposite);
            }
            else if (!Keys.Contains(option))
            {
                throw Invalid(destination, option);
            }

            merged.Add(option);
        }

        return new TmpfsMount(MountParser.Clean(destination), [.. merged]);
    }

    private static BerthException Invalid(string destination, string option) =>
        new(ErrorKind.InvalidArgument, $"invalid tmpfs option \"{option}\" for {destination}: give mount(8) flags (exec, ro, …) or tmpfs options (size=, mode=, uid=, gid=, nr_inodes=)");
}
