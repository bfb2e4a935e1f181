namespace Berth.Build.Dockerfile;

/// <summary>How <see cref="ShellLexer"/> treats quotes, escapes and unknown variables (default: as a Dockerfile value).</summary>
internal readonly record struct LexMode(bool KeepQuotes, bool KeepEscapes, bool KeepUnset, bool SkipQuotes)
{
    /// <summary>Used to find heredoc delimiters in an instruction line: nothing removed, nothing substituted.</summary>
    public static LexMode Raw { get; } = new(KeepQuotes: true, KeepEscapes: true, KeepUnset: true, SkipQuotes: false);
}
