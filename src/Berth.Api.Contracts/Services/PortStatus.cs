using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>A task's host-mode ports as bound on its node (<c>service ps</c>'s PORTS column).</summary>
public sealed class PortStatus
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<PortConfig>? Ports { get; set; }
}
