namespace Berth.Runtime.Engine;

/// <summary>Docker's container states that Berth uses.</summary>
public enum ContainerStatus
{
    Created,
    Running,
    Exited,
}
