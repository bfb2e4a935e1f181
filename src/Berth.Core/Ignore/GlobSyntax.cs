namespace Berth.Core.Ignore;

/// <summary>
/// The syntax check Go's <c>filepath.Match</c> applies: every <c>[</c> closes, a class is not empty, its ranges
/// have both ends, and no pattern ends in a lone backslash. (.NET's own parsing would accept other things.)
/// </summary>
internal static class GlobSyntax
{
    public static void Check(string pattern)
    {
        var pos = 0;
        while (pos < pattern.Length)
        {
            switch (pattern[pos])
            {
                case '\\':
                    pos += 2;
                    if (pos > pattern.Length)
                    {
                        throw new GlobSyntaxException();
                    }
                    break;
                case '[':
                    pos = CheckClass(pattern, pos + 1);
                    break;
                default:
                    pos++;
                    break;
            }
        }
    }

    // Returns the position after the class's closing bracket.
    private static int CheckClass(string pattern, int pos)
    {
        if (pos < pattern.Length && pattern[pos] == '^')
        {
            pos++;
        }
        var ranges = 0;
        while (true)
        {
            if (pos < pattern.Length && pattern[pos] == ']' && ranges > 0)
            {
                return pos + 1;
            }
            pos = Escaped(pattern, pos);
            if (pos < pattern.Length && pattern[pos] == '-')
            {
                pos = Escaped(pattern, pos + 1);
            }
            ranges++;
        }
    }

    private static int Escaped(string pattern, int pos)
    {
        if (pos >= pattern.Length || pattern[pos] is '-' or ']')
        {
            throw new GlobSyntaxException();
        }
        if (pattern[pos] == '\\')
        {
            pos++;
            if (pos >= pattern.Length)
            {
                throw new GlobSyntaxException();
            }
        }
        return pos + 1;
    }
}
