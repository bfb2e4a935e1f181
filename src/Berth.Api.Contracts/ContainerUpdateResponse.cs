namespace Berth.Api.Contracts;

#pragma warning disable CA2227 // a wire contract, filled by the serializer

/// <summary>The reply of <c>POST /containers/{id}/update</c>.</summary>
public sealed class ContainerUpdateResponse
{
    public List<string> Warnings { get; set; } = [];
}
