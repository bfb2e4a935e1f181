namespace Berth.Compose.Loading;

/// <summary>A scalar; <paramref name="Plain"/> when it was written unquoted (only then can it be null, a number or a boolean).</summary>
internal sealed record ScalarNode(SourceMark Mark, string Value, bool Plain) : ComposeNode(Mark)
{
    /// <summary><c>key:</c> with nothing after it, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Kind => IsNull ? "null" : "a string";

    public static ScalarNode Null(SourceMark mark) => new(mark, "", Plain: true);
}
