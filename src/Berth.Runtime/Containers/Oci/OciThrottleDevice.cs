namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>linux.resources.blockIO.throttle*Device[]</c>.</summary>
public sealed record OciThrottleDevice(long Major, long Minor, ulong Rate);
