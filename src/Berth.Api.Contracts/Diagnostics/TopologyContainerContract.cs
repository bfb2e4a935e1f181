namespace Berth.Api.Contracts.Diagnostics;

/// <summary>A container on one network: addresses as CIDR, ports as <c>0.0.0.0:8080->80/tcp</c>.</summary>
public sealed class TopologyContainerContract
{
    public string Name { get; set; } = "";

    public string Id { get; set; } = "";

    public string State { get; set; } = "";

    public List<string> Addresses { get; set; } = [];

    public string? MacAddress { get; set; }

    public List<string> Ports { get; set; } = [];

    public string? Service { get; set; }
}
