namespace Berth.Api.Contracts;

/// <summary>The body of <c>POST /networks/{id}/connect</c>.</summary>
public sealed class NetworkConnectRequest
{
    public string? Container { get; set; }

    public EndpointSettings? EndpointConfig { get; set; }
}
