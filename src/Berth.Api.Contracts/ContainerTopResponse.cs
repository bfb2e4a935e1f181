namespace Berth.Api.Contracts;

#pragma warning disable CA2227 // a wire contract, filled by the serializer

/// <summary>The reply of <c>GET /containers/{id}/top</c>: ps's column titles and the container's rows.</summary>
public sealed class ContainerTopResponse
{
    public List<string> Titles { get; set; } = [];

    public List<List<string>> Processes { get; set; } = [];
}
