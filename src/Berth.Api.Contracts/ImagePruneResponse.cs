namespace Berth.Api.Contracts;

/// <summary>Reply of <c>POST /images/prune</c>; <c>ImagesDeleted</c> is <c>null</c> when nothing went.</summary>
public sealed class ImagePruneResponse
{
    public List<ImageDeleteResponseItem>? ImagesDeleted { get; set; }

    public long SpaceReclaimed { get; set; }
}
