namespace Berth.Runtime.Engine;

/// <summary>An exec as <c>GET /exec/{id}/json</c> shows it.</summary>
public sealed record ExecState
{
    public required string Id { get; init; }

    public required Berth.Core.Containers.ContainerId ContainerId { get; init; }

    public required ExecCreateSpec Spec { get; init; }

    public ExecStatus Status { get; init; } = ExecStatus.Created;

    /// <summary>Null until the exit is recorded.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The process's pid on the host while it runs (0 before runc wrote it).</summary>
    public int Pid { get; init; }
}
