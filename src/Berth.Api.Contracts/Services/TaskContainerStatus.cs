namespace Berth.Api.Contracts;

/// <summary>The container a task runs in: Go writes all three fields, zeros included.</summary>
public sealed class TaskContainerStatus
{
    public string ContainerID { get; set; } = "";

    public int PID { get; set; }

    public int ExitCode { get; set; }
}
