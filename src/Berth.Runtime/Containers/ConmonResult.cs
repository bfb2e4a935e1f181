namespace Berth.Runtime.Containers;

/// <summary>What a successful conmon launch left running: the monitor and the container's init (created, not started).</summary>
public sealed record ConmonResult(int ConmonPid, int ContainerPid);
