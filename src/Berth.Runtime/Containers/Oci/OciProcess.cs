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
    bool NoNewPrivileges,
    OciConsoleSize? ConsoleSize = null);
