using System.Text.Json.Serialization;

namespace Berth.Api.Endpoints;

[JsonSerializable(typeof(Dictionary<string, string?>), TypeInfoPropertyName = "DictionaryStringString")]
internal sealed partial class BuildJsonContext : JsonSerializerContext;
