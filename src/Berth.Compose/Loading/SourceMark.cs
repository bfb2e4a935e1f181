namespace Berth.Compose.Loading;

/// <summary>Where a value came from: the file as the user named it, and its 1-based line and column.</summary>
public readonly record struct SourceMark(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
