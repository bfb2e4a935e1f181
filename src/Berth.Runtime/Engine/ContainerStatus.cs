namespace Berth.Runtime.Engine;

/// <summary>Docker's container states that Berth uses.</summary>
public enum ContainerStatus
{
    Created,
    Running,
    Exited,

    /// <summary>Exited, waiting out the restart policy's delay before it is started again.</summary>
    Restarting,
}
