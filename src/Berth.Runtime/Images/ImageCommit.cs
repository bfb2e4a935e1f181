namespace Berth.Runtime.Images;

/// <summary>
/// What <c>docker commit</c> gives the image store: the container's image (the parent), the new image's config, the
/// history step's author, comment and command, and the reference to tag it with.
/// </summary>
public sealed record ImageCommit(string ParentId, ContainerConfig Config, string? Reference)
{
    public string Author { get; init; } = "";

    public string Comment { get; init; } = "";

    /// <summary>The container's command, joined: the history step's <c>created_by</c>.</summary>
    public string CreatedBy { get; init; } = "";
}
