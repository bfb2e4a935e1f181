using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// One published port: <see cref="Protocol"/> <c>tcp</c> (empty), <c>udp</c> or <c>sctp</c>; <see cref="PublishMode"/>
/// <c>ingress</c> (empty) or <c>host</c>; <see cref="PublishedPort"/> 0 lets the swarm pick one.
/// </summary>
public sealed class PortConfig
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Protocol { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public uint TargetPort { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public uint PublishedPort { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PublishMode { get; set; }
}
