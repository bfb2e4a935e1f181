using System.Text.Json.Serialization;

namespace Berth.Cluster.Secrets;

/// <summary>Source-generated JSON (berthd is native AOT): the records in the cluster store and the node channel's answer.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, Converters = [typeof(SecretIdJsonConverter)])]
[JsonSerializable(typeof(SecretRecord))]
[JsonSerializable(typeof(List<TaskFileData>))]
public sealed partial class SecretsJsonContext : JsonSerializerContext
{
}
