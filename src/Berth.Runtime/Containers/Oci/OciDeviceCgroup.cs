namespace Berth.Runtime.Containers.Oci;

/// <summary>
/// runtime-spec <c>linux.resources.devices[]</c>: one rule of the device cgroup (an eBPF program on cgroup v2).
/// Null <see cref="Major"/>/<see cref="Minor"/> match any (<c>*</c>); <see cref="Type"/> <c>a</c> is every type.
/// </summary>
public sealed record OciDeviceCgroup(bool Allow, string Type, long? Major, long? Minor, string Access);
