using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Cluster.Identity;

namespace Berth.Cluster.Swarm;

/// <summary>A node id as its plain string.</summary>
public sealed class NodeIdJsonConverter : JsonConverter<NodeId>
{
    public override NodeId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        NodeId.TryParse(reader.GetString(), out NodeId id) ? id : throw new JsonException($"\"{reader.GetString()}\" is not a node id");

    public override void Write(Utf8JsonWriter writer, NodeId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
