namespace Berth.Api.Contracts;

/// <summary>An endpoint of a running container in <c>Network.Containers</c>.</summary>
public sealed class NetworkContainer
{
    public string Name { get; set; } = "";

    public string EndpointID { get; set; } = "";

    public string MacAddress { get; set; } = "";

    /// <summary>With prefix length: <c>10.213.5.20/16</c>.</summary>
    public string IPv4Address { get; set; } = "";

    public string IPv6Address { get; set; } = "";
}
