namespace Berth.Api.Contracts;

/// <summary>201 reply of <c>POST /networks/create</c>.</summary>
public sealed class NetworkCreateResponse
{
    public string Id { get; set; } = "";

    public string Warning { get; set; } = "";
}
