using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Cluster.Swarm;

/// <summary>The cluster store's values as JSON, and back.</summary>
internal static class SwarmRecords
{
    public static NodeRecord Node(ReadOnlyMemory<byte> value) => Read(value, ClusterJsonContext.Default.NodeRecord, "node");

    public static ClusterRecord Cluster(ReadOnlyMemory<byte> value) => Read(value, ClusterJsonContext.Default.ClusterRecord, "cluster");

    /// <summary>A heartbeat's value; null for one that does not read (written by an older berthd: a bare timestamp).</summary>
    public static HeartbeatRecord? Heartbeat(ReadOnlyMemory<byte> value)
    {
        try
        {
            return JsonSerializer.Deserialize(value.Span, ClusterJsonContext.Default.HeartbeatRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static byte[] Bytes(HeartbeatRecord heartbeat) => JsonSerializer.SerializeToUtf8Bytes(heartbeat, ClusterJsonContext.Default.HeartbeatRecord);

    public static byte[] Bytes(NodeRecord node) => JsonSerializer.SerializeToUtf8Bytes(node, ClusterJsonContext.Default.NodeRecord);

    public static byte[] Bytes(ClusterRecord cluster) => JsonSerializer.SerializeToUtf8Bytes(cluster, ClusterJsonContext.Default.ClusterRecord);

    internal static T Read<T>(ReadOnlyMemory<byte> value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(value.Span, type) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new BerthException(ErrorKind.Internal, $"a {what} record in the cluster store does not read: {e.Message}", e);
        }
    }
}
