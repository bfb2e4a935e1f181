namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>linux.devices[]</c>: a device node runc makes in the container (type <c>c</c>, <c>b</c> or <c>p</c>).</summary>
public sealed record OciDevice(string Path, string Type, long Major, long Minor, uint FileMode, uint Uid, uint Gid);
