namespace Berth.Api.Contracts;

/// <summary><c>GET /services?status=true</c>: the task counts <c>service ls</c> shows as REPLICAS (<c>running/desired</c>).</summary>
public sealed class ServiceStatus
{
    public ulong RunningTasks { get; set; }

    public ulong DesiredTasks { get; set; }

    public ulong CompletedTasks { get; set; }
}
