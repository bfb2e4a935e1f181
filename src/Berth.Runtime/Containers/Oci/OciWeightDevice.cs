namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>linux.resources.blockIO.weightDevice[]</c>.</summary>
public sealed record OciWeightDevice(long Major, long Minor, ushort Weight);
