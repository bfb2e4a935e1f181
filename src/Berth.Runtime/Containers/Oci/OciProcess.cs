using System.Collections.Immutable;

namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>process</c>.</summary>
public sealed record OciProcess(
    bool Terminal,
    OciUser User,
    ImmutableArray<string> Args,
    ImmutableArray<string> Env,
    string Cwd,
    OciCapabilities Capabilities,
    ImmutableArray<OciRlimit> Rlimits,
    bool NoNewPrivileges)
{
    /// <summary>The pty's initial size (with <see cref="Terminal"/>); null leaves runc's default.</summary>
    public OciBox? ConsoleSize { get; init; }
}
