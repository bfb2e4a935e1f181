using System.Collections.Immutable;

namespace Berth.Runtime.Containers.Oci;

/// <summary>The subset of the OCI runtime-spec <c>config.json</c> (v1.0.2) that Berth writes.</summary>
public sealed record OciSpec(
    string OciVersion,
    OciProcess Process,
    OciRoot Root,
    string? Hostname,
    ImmutableArray<OciMount> Mounts,
    ImmutableSortedDictionary<string, string>? Annotations,
    OciLinux Linux);
