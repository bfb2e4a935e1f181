using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>A manager's place in the cluster: leader or not, <see cref="Reachability"/>, and its cluster address (<c>HOST:2377</c>).</summary>
public sealed class ManagerStatus
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Leader { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reachability { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Addr { get; set; }
}
