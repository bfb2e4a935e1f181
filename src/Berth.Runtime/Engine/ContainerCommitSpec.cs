namespace Berth.Runtime.Engine;

/// <summary><c>POST /commit</c>'s query: the reference to tag (none: an untagged image), history text and <c>--change</c> instructions.</summary>
public sealed record ContainerCommitSpec
{
    public string? Reference { get; init; }

    public string Comment { get; init; } = "";

    public string Author { get; init; } = "";

    public IReadOnlyList<string> Changes { get; init; } = [];

    /// <summary>Docker pauses the container while committing; Berth cannot pause yet and commits it running.</summary>
    public bool Pause { get; init; } = true;
}
