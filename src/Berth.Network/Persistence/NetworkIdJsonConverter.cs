using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Core.Networks;

namespace Berth.Network.Persistence;

internal sealed class NetworkIdJsonConverter : JsonConverter<NetworkId>
{
    public override NetworkId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("null network id"));

    public override void Write(Utf8JsonWriter writer, NetworkId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
