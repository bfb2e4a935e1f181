using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

#pragma warning disable CA2227

/// <summary>Config.Healthcheck: durations in nanoseconds; a zero or empty field inherits the image's.</summary>
public sealed class HealthcheckConfig
{
    /// <summary><c>["CMD", args...]</c>, <c>["CMD-SHELL", command]</c> or <c>["NONE"]</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Test { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Interval { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Timeout { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long StartPeriod { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long StartInterval { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Retries { get; set; }
}
