using System.Collections.Immutable;
using Berth.Core.Errors;

namespace Berth.Runtime.Containers;

/// <summary>
/// A container's capability set from Docker's <c>--cap-add</c>/<c>--cap-drop</c>: Docker's default set,
/// plus the added, minus the dropped; <c>ALL</c> in <c>--cap-drop</c> starts from nothing, <c>ALL</c> in
/// <c>--cap-add</c> grants every capability. Names are accepted with or without <c>CAP_</c>, in any case.
/// </summary>
public static class Capabilities
{
    /// <summary>Every capability of Linux 6.x (linux/capability.h, 0 … 40), in number order.</summary>
    public static readonly ImmutableArray<string> All =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
        "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
        "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    private const string AllKeyword = "ALL";

    /// <summary>The effective set; every unknown name is reported in one InvalidArgument error.</summary>
    public static ImmutableArray<string> Resolve(IEnumerable<string> add, IEnumerable<string> drop)
    {
        var problems = new List<string>();
        var added = Normalize(add, problems);
        var dropped = Normalize(drop, problems);
        if (problems.Count > 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"unknown capabilit{(problems.Count == 1 ? "y" : "ies")}: {string.Join(", ", problems)}; use names such as NET_ADMIN or CAP_SYS_TIME");
        }

        var set = new HashSet<string>(dropped.Contains(AllKeyword) ? [] : OciSpecBuilder.DefaultCapabilities, StringComparer.Ordinal);
        set.UnionWith(added.Contains(AllKeyword) ? All : added);
        set.ExceptWith(dropped.Where(d => !added.Contains(d)));
        return [.. All.Where(set.Contains)];
    }

    private static readonly Lazy<ImmutableArray<string>> BoundingSet = new(ReadBoundingSet);

    /// <summary>
    /// The capabilities this process can hand on (its bounding set, /proc/self/status CapBnd, read once: it
    /// never grows): runc fails with EPERM on any other, so <c>--privileged</c> and <c>--cap-add ALL</c>
    /// mean "all of these".
    /// </summary>
    public static ImmutableArray<string> Bounding() => BoundingSet.Value;

    private static ImmutableArray<string> ReadBoundingSet()
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapBnd:", StringComparison.Ordinal));
        ulong mask = line is null ? ulong.MaxValue : Convert.ToUInt64(line["CapBnd:".Length..].Trim(), 16);
        return [.. All.Where((_, bit) => (mask & (1UL << bit)) != 0)];
    }

    private static HashSet<string> Normalize(IEnumerable<string> names, List<string> problems)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            string upper = name.Trim().ToUpperInvariant();
            string full = upper == AllKeyword || upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper : "CAP_" + upper;
            if (full == AllKeyword || All.Contains(full))
            {
                result.Add(full);
            }
            else
            {
                problems.Add($"\"{name}\"");
            }
        }

        return result;
    }
}
