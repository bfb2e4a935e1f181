using System.Collections.Immutable;

namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>linux.seccomp.syscalls[]</c>: an action for some syscalls, optionally only when their arguments match.</summary>
public sealed record OciSyscallRule(
    ImmutableArray<string> Names,
    string Action,
    uint? ErrnoRet = null,
    ImmutableArray<OciSyscallArg>? Args = null);
