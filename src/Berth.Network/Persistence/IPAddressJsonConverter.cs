using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Network.Persistence;

/// <summary>An IP address as its text in JSON (<c>"10.0.0.2"</c>, <c>"fd00::2"</c>).</summary>
public sealed class IPAddressJsonConverter : JsonConverter<IPAddress>
{
    public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        IPAddress.Parse(reader.GetString() ?? throw new JsonException("null address"));

    public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
