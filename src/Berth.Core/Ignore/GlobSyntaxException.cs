namespace Berth.Core.Ignore;

/// <summary>A pattern Go's filepath.Match refuses ("syntax error in pattern"); the reader adds the line.</summary>
internal sealed class GlobSyntaxException : Exception
{
    public GlobSyntaxException()
        : base("syntax error in pattern")
    {
    }
}
