namespace Berth.Runtime.Images;

/// <summary>A row of <c>docker images</c>: references in the familiar form (<c>busybox:latest</c>).</summary>
public sealed record ImageSummary(string Id, IReadOnlyList<string> RepoTags, DateTimeOffset Created, long Size);
