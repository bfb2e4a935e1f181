namespace Berth.Runtime.Images;

/// <summary>A pull progress event in Docker's vocabulary (<c>Pulling fs layer</c>, <c>Downloading</c>, <c>Pull complete</c>…); Id is a short layer digest or the tag.</summary>
public sealed record PullProgress(string? Id, string Status, long? Current = null, long? Total = null);
