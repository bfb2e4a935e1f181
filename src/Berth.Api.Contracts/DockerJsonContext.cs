using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// Source-generated JSON for the Docker API types: the daemon and the (AOT-compiled) CLI share it.
/// Property names are written as declared (PascalCase), as Docker's are.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(Network))]
[JsonSerializable(typeof(List<Network>))]
[JsonSerializable(typeof(NetworkCreateRequest))]
[JsonSerializable(typeof(NetworkCreateResponse))]
[JsonSerializable(typeof(NetworkPruneResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(InfoResponse))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(ContainerCreateRequest))]
[JsonSerializable(typeof(ContainerCreateResponse))]
[JsonSerializable(typeof(ContainerWaitResponse))]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(ContainerInspect))]
[JsonSerializable(typeof(ProgressMessage))]
[JsonSerializable(typeof(List<ImageSummary>))]
[JsonSerializable(typeof(ImageInspect))]
[JsonSerializable(typeof(List<ImageHistoryItem>))]
[JsonSerializable(typeof(List<ImageDeleteResponseItem>))]
[JsonSerializable(typeof(ImagePruneResponse))]
[JsonSerializable(typeof(DistributionInspect))]
[JsonSerializable(typeof(JsonMessage))]
[JsonSerializable(typeof(ExecCreateRequest))]
[JsonSerializable(typeof(ExecStartRequest))]
[JsonSerializable(typeof(ExecInspect))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(NetworkConnectRequest))]
[JsonSerializable(typeof(NetworkDisconnectRequest))]
[JsonSerializable(typeof(EventMessage))]
[JsonSerializable(typeof(Volume))]
[JsonSerializable(typeof(VolumeCreateRequest))]
[JsonSerializable(typeof(VolumeListResponse))]
[JsonSerializable(typeof(VolumePruneResponse))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(SwarmInitRequest))]
[JsonSerializable(typeof(SwarmJoinRequest))]
[JsonSerializable(typeof(SwarmUnlockRequest))]
[JsonSerializable(typeof(SwarmUnlockKeyResponse))]
[JsonSerializable(typeof(Swarm))]
[JsonSerializable(typeof(ClusterSpec))]
[JsonSerializable(typeof(Node))]
[JsonSerializable(typeof(List<Node>))]
[JsonSerializable(typeof(NodeSpec))]
[JsonSerializable(typeof(SwarmInfo))]
public sealed partial class DockerJsonContext : JsonSerializerContext
{
}
