namespace Berth.Api.Contracts;

/// <summary>One entry of <c>GET /containers/{id}/changes</c> (moby <c>container.FilesystemChange</c>): Kind 0 modified, 1 added, 2 deleted.</summary>
public sealed class ContainerChangeItem
{
    public string Path { get; set; } = "";

    public int Kind { get; set; }
}
