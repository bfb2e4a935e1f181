using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>A task's place on one network: the network and the task's addresses on it as CIDR.</summary>
public sealed class NetworkAttachmentContract
{
    public AttachedNetwork Network { get; set; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Addresses { get; set; }
}
