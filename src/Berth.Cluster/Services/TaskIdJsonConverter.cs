using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Cluster.Identity;

namespace Berth.Cluster.Services;

/// <summary>A task id as its plain string.</summary>
public sealed class TaskIdJsonConverter : JsonConverter<TaskId>
{
    public override TaskId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TaskId.TryParse(reader.GetString(), out TaskId id) ? id : throw new JsonException($"\"{reader.GetString()}\" is not a task id");

    public override void Write(Utf8JsonWriter writer, TaskId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
