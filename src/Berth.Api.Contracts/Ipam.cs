namespace Berth.Api.Contracts;

/// <summary>The IPAM block of a network (request and response).</summary>
public sealed class Ipam
{
    public string? Driver { get; set; }

    /// <summary>Null when none was sent (docker-py checks), <c>{}</c> when the client sent <c>{}</c>.</summary>
    public Dictionary<string, string>? Options { get; set; }

    public List<IpamConfig>? Config { get; set; }
}
