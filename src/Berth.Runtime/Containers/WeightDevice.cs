namespace Berth.Runtime.Containers;

/// <summary>Docker's <c>WeightDevice</c>: a device path and its relative I/O weight (10–1000), <c>--blkio-weight-device /dev/sda:200</c>.</summary>
public sealed record WeightDevice(string Path, ushort Weight);
