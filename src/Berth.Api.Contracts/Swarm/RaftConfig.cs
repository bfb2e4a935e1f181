using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// <c>Spec.Raft</c>: swarmkit's consensus settings. Berth keeps cluster state in etcd; the ticks are shown as
/// Docker's defaults so clients that print them (<c>docker info</c>) have something to print.
/// </summary>
public sealed class RaftConfig
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong SnapshotInterval { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? KeepOldSnapshots { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong LogEntriesForSlowFollowers { get; set; }

    public int ElectionTick { get; set; }

    public int HeartbeatTick { get; set; }
}
