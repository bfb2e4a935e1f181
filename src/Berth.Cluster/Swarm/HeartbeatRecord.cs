namespace Berth.Cluster.Swarm;

/// <summary><c>swarm/heartbeats/&lt;id&gt;</c>: when the node last wrote it, and its TLS (see <see cref="NodeTlsReport"/>).</summary>
public sealed record HeartbeatRecord
{
    public required DateTimeOffset At { get; init; }

    public NodeTlsReport? Tls { get; init; }
}
