using System.Text.Json.Serialization;
using Berth.Api.Contracts;

namespace Berth.Cli.Commands.Compose;

/// <summary>The requests berth compose writes, without the keys it leaves unset (docker-py sends only what the caller set).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerCreateRequest))]
[JsonSerializable(typeof(NetworkCreateRequest))]
[JsonSerializable(typeof(NetworkConnectRequest))]
[JsonSerializable(typeof(VolumeCreateRequest))]
internal sealed partial class ComposeJsonContext : JsonSerializerContext
{
}
