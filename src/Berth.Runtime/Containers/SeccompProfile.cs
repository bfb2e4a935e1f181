using System.Collections.Immutable;
using Berth.Runtime.Containers.Oci;

namespace Berth.Runtime.Containers;

/// <summary>
/// Berth's default seccomp filter. Docker's default profile is an allow-list; the effect that matters
/// to a container is which kernel interfaces it loses, so Berth states that directly: everything is
/// allowed except the syscalls Docker's default profile denies to a container without extra
/// capabilities — module loading, reboot and kexec, clock setting, mounting and namespace creation
/// (including <c>clone</c> with namespace flags and user namespaces, which need no capability),
/// keyrings, bpf, perf, userfaultfd, raw I/O ports, NUMA policy, cross-process memory access, swap,
/// process accounting and obsolete syscalls. Denied calls fail with EPERM, as Docker's do; <c>clone3</c>
/// fails with ENOSYS so that C libraries fall back to <c>clone</c>, whose flags the filter can see.
/// runc skips names its libseccomp does not know, so the list may name syscalls of newer kernels.
/// </summary>
public static class SeccompProfile
{
    private const uint EPERM = 1;
    private const uint ENOSYS = 38;

    /// <summary>Namespace flags of clone(2) (linux/sched.h): NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET.</summary>
    private static readonly ImmutableArray<ulong> CloneNamespaceFlags =
        [0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000];

    /// <summary>Syscalls a default container may not make, keyed by the capability that lifts the denial in Docker ("" = none does).</summary>
    public static readonly ImmutableDictionary<string, ImmutableArray<string>> DeniedSyscalls = new Dictionary<string, ImmutableArray<string>>
    {
        // Mounts, namespaces, quotas, the new mount API, swap, fanotify.
        ["CAP_SYS_ADMIN"] =
        [
            "mount", "umount", "umount2", "unshare", "setns", "pivot_root", "quotactl", "quotactl_fd",
            "fsopen", "fsconfig", "fsmount", "fspick", "open_tree", "move_mount", "mount_setattr",
            "swapon", "swapoff", "fanotify_init", "lookup_dcookie", "name_to_handle_at",
        ],
        ["CAP_BPF"] = ["bpf"],
        ["CAP_PERFMON"] = ["perf_event_open"],
        ["CAP_SYS_MODULE"] = ["init_module", "finit_module", "delete_module", "create_module", "query_module", "get_kernel_syms"],
        ["CAP_SYS_BOOT"] = ["reboot", "kexec_load", "kexec_file_load"],
        ["CAP_SYS_TIME"] = ["settimeofday", "stime", "clock_settime", "clock_settime64", "clock_adjtime", "clock_adjtime64"],
        ["CAP_SYS_PACCT"] = ["acct"],
        ["CAP_SYS_RAWIO"] = ["iopl", "ioperm"],
        ["CAP_SYSLOG"] = ["syslog"],
        ["CAP_DAC_READ_SEARCH"] = ["open_by_handle_at"],
        ["CAP_SYS_NICE"] = ["mbind", "set_mempolicy", "move_pages"],
        ["CAP_SYS_PTRACE"] = ["process_vm_readv", "process_vm_writev", "kcmp"],

        // Never: keyrings (not namespaced), userfaultfd, io_uring, obsolete and legacy calls.
        [""] =
        [
            "keyctl", "add_key", "request_key", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
            "uselib", "ustat", "sysfs", "_sysctl", "nfsservctl", "vm86", "vm86old",
        ],
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The filter for a container with <paramref name="capabilities"/> (x86-64 with its 32-bit compat ABIs):
    /// a capability the container holds lifts the denials it guards, as in Docker.
    /// </summary>
    public static OciSeccomp Default(IEnumerable<string> capabilities)
    {
        var held = capabilities.ToHashSet(StringComparer.Ordinal);
        ImmutableArray<string> denied = [.. DeniedSyscalls.Where(d => !held.Contains(d.Key)).OrderBy(d => d.Key, StringComparer.Ordinal).SelectMany(d => d.Value)];
        var rules = new List<OciSyscallRule>
        {
            new(denied, "SCMP_ACT_ERRNO", EPERM),
            new(["clone3"], "SCMP_ACT_ERRNO", ENOSYS),
        };

        // clone(2) takes its flags in argument 0 on x86-64; one rule per namespace flag. CAP_SYS_ADMIN lifts them.
        foreach (ulong flag in held.Contains("CAP_SYS_ADMIN") ? [] : CloneNamespaceFlags)
        {
            rules.Add(new(["clone"], "SCMP_ACT_ERRNO", EPERM, [new OciSyscallArg(0, flag, flag, "SCMP_CMP_MASKED_EQ")]));
        }

        return new OciSeccomp("SCMP_ACT_ALLOW", ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], [.. rules]);
    }
}
