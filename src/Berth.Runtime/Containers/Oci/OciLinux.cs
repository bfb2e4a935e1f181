using System.Collections.Immutable;

namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>linux</c>.</summary>
public sealed record OciLinux(
    ImmutableArray<OciNamespace> Namespaces,
    ImmutableArray<string> MaskedPaths,
    ImmutableArray<string> ReadonlyPaths,
    OciSeccomp? Seccomp = null,
    OciResources? Resources = null)
{
    /// <summary>Device nodes beyond runc's default set (<c>--device</c>); null is none.</summary>
    public ImmutableArray<OciDevice>? Devices { get; init; }

    /// <summary>Kernel settings runc writes inside the container's namespaces; null is none.</summary>
    public ImmutableSortedDictionary<string, string>? Sysctl { get; init; }

    /// <summary>The user namespace's uid map (with a <c>user</c> namespace entry); null: no user namespace.</summary>
    public ImmutableArray<OciIdMapping>? UidMappings { get; init; }

    /// <summary>The user namespace's gid map; null with <see cref="UidMappings"/>.</summary>
    public ImmutableArray<OciIdMapping>? GidMappings { get; init; }
}
