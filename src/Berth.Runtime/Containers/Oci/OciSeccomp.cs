using System.Collections.Immutable;

namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>linux.seccomp</c>.</summary>
public sealed record OciSeccomp(
    string DefaultAction,
    ImmutableArray<string> Architectures,
    ImmutableArray<OciSyscallRule> Syscalls);
