namespace Berth.Api.Contracts;

#pragma warning disable CA2227

/// <summary>State.Health of a container with a healthcheck.</summary>
public sealed class ContainerHealth
{
    /// <summary><c>starting</c>, <c>healthy</c> or <c>unhealthy</c>.</summary>
    public string Status { get; set; } = "";

    public int FailingStreak { get; set; }

    public List<HealthLogEntry> Log { get; set; } = [];
}
