namespace Berth.Runtime.Containers;

/// <summary>What a successful conmon launch left running: the monitor and the container's init (created, not started).</summary>
public sealed record ConmonResult(int ConmonPid, int ContainerPid)
{
    /// <summary>From starting conmon until its first process had detached (the rest is runc create).</summary>
    public TimeSpan Detached { get; init; }
}
