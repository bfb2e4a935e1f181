namespace Berth.Runtime.Images;

/// <summary>What <c>docker image prune</c> removed: untag and delete lines, and the bytes of the layers deleted.</summary>
public sealed record ImagePruneResult(IReadOnlyList<ImageDeleteResult> Deleted, long SpaceReclaimed);
