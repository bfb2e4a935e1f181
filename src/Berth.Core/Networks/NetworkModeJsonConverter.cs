using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Core.Networks;

/// <summary><see cref="NetworkMode"/> as its Docker spelling, a JSON string (what records stored before the type held).</summary>
public sealed class NetworkModeJsonConverter : JsonConverter<NetworkMode>
{
    public override NetworkMode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? NetworkMode.Default : NetworkMode.Parse(reader.GetString());

    public override void Write(Utf8JsonWriter writer, NetworkMode value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
