namespace Berth.Compose.Loading;

/// <summary>
/// A node of a compose file as read, with its position: YamlDotNet's representation turned into immutable values that
/// interpolation and the merge of several files can rewrite while keeping where each value came from.
/// </summary>
internal abstract record ComposeNode(SourceMark Mark)
{
    /// <summary>A local tag such as <c>!reset</c> or <c>!override</c> (the merge honours them); null when untagged.</summary>
    public string? Tag { get; init; }

    /// <summary>How the node is named in messages: "a mapping", "a list", "a string".</summary>
    public abstract string Kind { get; }
}
