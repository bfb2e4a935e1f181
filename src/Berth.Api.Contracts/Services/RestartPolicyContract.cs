using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// <c>TaskTemplate.RestartPolicy</c>: <see cref="Condition"/> <c>none</c>, <c>on-failure</c> or <c>any</c> (empty:
/// any); durations in nanoseconds. Docker always shows <see cref="MaxAttempts"/>.
/// </summary>
public sealed class RestartPolicyContract
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Condition { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Delay { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? MaxAttempts { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Window { get; set; }
}
