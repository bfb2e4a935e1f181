namespace Berth.Build.Dockerfile;

/// <summary>The physical lines (1-based, inclusive) one instruction spans, continuations and heredoc bodies included.</summary>
public readonly record struct SourceRange(int StartLine, int EndLine)
{
    public override string ToString() => StartLine == EndLine ? $"line {StartLine}" : $"lines {StartLine}-{EndLine}";
}
