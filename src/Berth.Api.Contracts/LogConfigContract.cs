namespace Berth.Api.Contracts;

#pragma warning disable CA2227

/// <summary><c>HostConfig.LogConfig</c>: the log driver and its options. docker-compose attaches only to containers whose <c>Type</c> is set and not <c>none</c>.</summary>
public sealed class LogConfigContract
{
    public string? Type { get; set; }

    public Dictionary<string, string>? Config { get; set; }
}
