using System.Text.Json.Serialization;

namespace Berth.Cluster.Swarm;

/// <summary>Source-generated JSON (berthd is native AOT) for the swarm's local state, its records in etcd and the join protocol.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, Converters = [typeof(NodeIdJsonConverter), typeof(ClusterIdJsonConverter)])]
[JsonSerializable(typeof(LocalSwarmState))]
[JsonSerializable(typeof(ClusterRecord))]
[JsonSerializable(typeof(NodeRecord))]
[JsonSerializable(typeof(JoinRequest))]
[JsonSerializable(typeof(JoinAnswer))]
[JsonSerializable(typeof(JoinError))]
[JsonSerializable(typeof(RenewRequest))]
[JsonSerializable(typeof(HeartbeatRecord))]
public sealed partial class ClusterJsonContext : JsonSerializerContext
{
}
