using System.Text.Json.Serialization;
using Berth.Cluster.Swarm;

namespace Berth.Cluster.Services;

/// <summary>Source-generated JSON (berthd is native AOT) for services' and tasks' records in the cluster store.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, Converters = [typeof(NodeIdJsonConverter), typeof(ServiceIdJsonConverter), typeof(TaskIdJsonConverter)])]
[JsonSerializable(typeof(ServiceRecord))]
[JsonSerializable(typeof(TaskRecord))]
[JsonSerializable(typeof(TaskRunStatus))]
public sealed partial class ServicesJsonContext : JsonSerializerContext
{
}
