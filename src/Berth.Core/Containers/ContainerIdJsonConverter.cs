using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Core.Containers;

/// <summary><see cref="ContainerId"/> as its 64 hex digits, a JSON string (what records stored before the type held).</summary>
public sealed class ContainerIdJsonConverter : JsonConverter<ContainerId>
{
    public override ContainerId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ContainerId.Parse(reader.GetString());

    public override void Write(Utf8JsonWriter writer, ContainerId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Value);
    }

    public override ContainerId ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ContainerId.Parse(reader.GetString());

    public override void WriteAsPropertyName(Utf8JsonWriter writer, ContainerId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value.Value);
    }
}
