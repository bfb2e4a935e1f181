namespace Berth.Api.Contracts;

/// <summary><c>HostConfig.RestartPolicy</c>: <c>""</c>/<c>no</c>, <c>always</c>, <c>unless-stopped</c> or <c>on-failure</c> (with a retry limit).</summary>
public sealed class ContainerRestartPolicy
{
    public string Name { get; set; } = "";

    public int MaximumRetryCount { get; set; }
}
