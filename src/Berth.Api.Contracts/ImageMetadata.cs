namespace Berth.Api.Contracts;

/// <summary>Local facts about an image; <c>LastTagTime</c> is RFC 3339, Go's zero time when never tagged locally.</summary>
public sealed class ImageMetadata
{
    public string LastTagTime { get; set; } = "0001-01-01T00:00:00Z";
}
