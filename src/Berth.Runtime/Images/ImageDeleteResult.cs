namespace Berth.Runtime.Images;

/// <summary>One line of <c>docker rmi</c>'s answer: exactly one of the two is set.</summary>
public sealed record ImageDeleteResult(string? Untagged, string? Deleted);
