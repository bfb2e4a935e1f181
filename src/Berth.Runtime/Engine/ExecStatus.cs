namespace Berth.Runtime.Engine;

/// <summary>An exec's phases: made, its process running, its exit recorded (or its start failed).</summary>
public enum ExecStatus
{
    Created,
    Running,
    Exited,
}
