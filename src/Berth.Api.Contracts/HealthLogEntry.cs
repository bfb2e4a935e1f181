namespace Berth.Api.Contracts;

/// <summary>One probe in State.Health.Log; times are RFC 3339 with nanoseconds.</summary>
public sealed class HealthLogEntry
{
    public string Start { get; set; } = "";

    public string End { get; set; } = "";

    public int ExitCode { get; set; }

    public string Output { get; set; } = "";
}
