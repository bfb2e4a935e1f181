namespace Berth.Api.Contracts;

/// <summary>The body of <c>POST /networks/{id}/disconnect</c>.</summary>
public sealed class NetworkDisconnectRequest
{
    public string? Container { get; set; }

    public bool Force { get; set; }
}
