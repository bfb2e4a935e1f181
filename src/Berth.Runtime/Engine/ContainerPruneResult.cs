namespace Berth.Runtime.Engine;

/// <summary>What a prune removed: the containers' ids and the bytes their writable layers held (Docker's <c>SizeRw</c>).</summary>
public sealed record ContainerPruneResult(IReadOnlyList<string> Deleted, long SpaceReclaimed);
