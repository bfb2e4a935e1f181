using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Cluster.Identity;

namespace Berth.Cluster.Secrets;

/// <summary>A secret's or config's id as its plain string.</summary>
public sealed class SecretIdJsonConverter : JsonConverter<SecretId>
{
    public override SecretId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SecretId.TryParse(reader.GetString(), out SecretId id) ? id : throw new JsonException($"\"{reader.GetString()}\" is not a secret id");

    public override void Write(Utf8JsonWriter writer, SecretId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
