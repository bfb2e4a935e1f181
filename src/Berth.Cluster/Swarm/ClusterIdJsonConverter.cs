using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Cluster.Identity;

namespace Berth.Cluster.Swarm;

/// <summary>A cluster id as its plain string.</summary>
public sealed class ClusterIdJsonConverter : JsonConverter<ClusterId>
{
    public override ClusterId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ClusterId.TryParse(reader.GetString(), out ClusterId id) ? id : throw new JsonException($"\"{reader.GetString()}\" is not a cluster id");

    public override void Write(Utf8JsonWriter writer, ClusterId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
