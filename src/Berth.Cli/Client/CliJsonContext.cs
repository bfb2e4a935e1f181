using System.Text.Json.Serialization;
using Berth.Api.Contracts;

namespace Berth.Cli.Client;

/// <summary>Source-generated JSON for what only the client writes (Native AOT: no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified)]
[JsonSerializable(typeof(NetworkCreateClientRequest))]
[JsonSerializable(typeof(Dictionary<string, string?>), TypeInfoPropertyName = "DictionaryStringString")]
public sealed partial class CliJsonContext : JsonSerializerContext
{
}
