using System.Text.Json.Serialization;

namespace Berth.Runtime.Volumes;

[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(VolumeRecord))]
internal sealed partial class VolumesJsonContext : JsonSerializerContext
{
}
