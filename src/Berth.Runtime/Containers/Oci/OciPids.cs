namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>linux.resources.pids</c>.</summary>
public sealed record OciPids(long Limit);
