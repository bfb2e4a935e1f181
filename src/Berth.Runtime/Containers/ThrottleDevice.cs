namespace Berth.Runtime.Containers;

/// <summary>Docker's <c>ThrottleDevice</c>: a device path and a rate (bytes or operations per second), <c>--device-read-bps /dev/sda:1mb</c>.</summary>
public sealed record ThrottleDevice(string Path, ulong Rate);
