using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Cluster.Identity;

namespace Berth.Cluster.Services;

/// <summary>A service id as its plain string.</summary>
public sealed class ServiceIdJsonConverter : JsonConverter<ServiceId>
{
    public override ServiceId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ServiceId.TryParse(reader.GetString(), out ServiceId id) ? id : throw new JsonException($"\"{reader.GetString()}\" is not a service id");

    public override void Write(Utf8JsonWriter writer, ServiceId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
