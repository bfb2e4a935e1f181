using System.Text.Json.Serialization;

namespace Berth.Build.Engine;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class BuildCacheJsonContext : JsonSerializerContext;
