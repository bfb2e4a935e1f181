namespace Berth.Runtime.Containers;

/// <summary>runc's container status (runtime-spec state <c>status</c>).</summary>
public enum ContainerStatus
{
    Creating,
    Created,
    Running,
    Paused,
    Stopped,
}
