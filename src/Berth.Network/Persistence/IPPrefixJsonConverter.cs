using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Core.Addressing;

namespace Berth.Network.Persistence;

internal sealed class IPPrefixJsonConverter : JsonConverter<IPPrefix>
{
    public override IPPrefix Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        IPPrefix.Parse(reader.GetString() ?? throw new JsonException("null address"));

    public override void Write(Utf8JsonWriter writer, IPPrefix value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
