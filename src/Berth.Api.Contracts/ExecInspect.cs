namespace Berth.Api.Contracts;

/// <summary><c>GET /exec/{id}/json</c>.</summary>
public sealed class ExecInspect
{
    public string ID { get; set; } = "";

    public bool Running { get; set; }

    /// <summary>Null until the process has exited.</summary>
    public int? ExitCode { get; set; }

    public ExecProcessConfig ProcessConfig { get; set; } = new();

    public bool OpenStdin { get; set; }

    public bool OpenStderr { get; set; }

    public bool OpenStdout { get; set; }

    public bool CanRemove { get; set; }

    public string ContainerID { get; set; } = "";

    public string DetachKeys { get; set; } = "";

    public int Pid { get; set; }
}
