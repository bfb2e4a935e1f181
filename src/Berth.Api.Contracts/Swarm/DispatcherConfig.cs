using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary><c>Spec.Dispatcher</c>.</summary>
public sealed class DispatcherConfig
{
    /// <summary>How often a node heartbeats, in nanoseconds (Go's <c>time.Duration</c>; 5 s by default).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long HeartbeatPeriod { get; set; }
}
