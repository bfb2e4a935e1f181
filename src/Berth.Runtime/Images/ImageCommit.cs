namespace Berth.Runtime.Images;

/// <summary>
/// What <c>docker commit</c> (and a build step) gives the image store: the container's image (the parent; null for a
/// build step on <c>FROM scratch</c>), the new image's config, the history step's author, comment and command, and the
/// reference to tag it with.
/// </summary>
public sealed record ImageCommit(string? ParentId, ContainerConfig Config, string? Reference)
{
    public string Author { get; init; } = "";

    public string Comment { get; init; } = "";

    /// <summary>The history step's <c>created_by</c>: the container's command joined, or the build instruction.</summary>
    public string CreatedBy { get; init; } = "";
}
