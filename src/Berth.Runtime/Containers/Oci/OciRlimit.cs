namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>process.rlimits[]</c>.</summary>
public sealed record OciRlimit(string Type, ulong Hard, ulong Soft);
