using System.Text;

namespace Berth.Build.Dockerfile;

internal sealed partial class ShellLexer
{
    // $NAME, ${NAME}, ${NAME:-w} ${NAME-w} ${NAME:+w} ${NAME+w} ${NAME:?w} ${NAME?w} ${NAME#p} ${NAME##p}
    // ${NAME%p} ${NAME%%p} ${NAME/p/r} ${NAME//p/r}: the forms BuildKit's Dockerfile frontend accepts.
    private string ProcessDollar()
    {
        position++;
        if (Peek() != '{')
        {
            var bare = ProcessName();
            if (bare.Length == 0)
            {
                return "$";
            }
            return Lookup(bare) ?? (mode.KeepUnset ? "$" + bare : "");
        }
        position++;
        switch (Peek())
        {
            case End:
                throw new LexException("syntax error: missing '}'");
            case '{' or '}' or ':':
                throw new LexException("syntax error: bad substitution");
        }
        var name = ProcessName();
        var ch = Next();
        var modifier = ch == End ? "" : ((char)ch).ToString();
        var nullIsUnset = false;
        switch (ch)
        {
            case End:
                throw new LexException("syntax error: missing '}'");
            case '}':
                return Lookup(name) ?? (mode.KeepUnset ? "${" + name + "}" : "");
            case '/':
                return ProcessReplacement(name);
            case ':':
                nullIsUnset = true;
                ch = Next();
                modifier += ch == End ? "" : ((char)ch).ToString();
                break;
        }
        if (ch is not ('+' or '-' or '?' or '#' or '%'))
        {
            throw new LexException($"unsupported modifier ({modifier}) in substitution");
        }
        var patternModifier = ch is '#' or '%';
        if (nullIsUnset && patternModifier)
        {
            throw new LexException($"unsupported modifier ({modifier}) in substitution");
        }
        var word = ProcessInsideBraces('}', patternModifier, "syntax error: missing '}'");
        var value = Lookup(name);
        if (value is null && mode.KeepUnset)
        {
            return "${" + name + modifier + word + "}";
        }
        var empty = value is null || (nullIsUnset && value.Length == 0);
        switch (ch)
        {
            case '-':
                return empty ? word : value!;
            case '+':
                return empty ? "" : word;
            case '?':
                if (value is null)
                {
                    throw new LexException($"{name}: {(word.Length == 0 ? "is not allowed to be unset" : word)}");
                }
                if (empty)
                {
                    throw new LexException($"{name}: {(word.Length == 0 ? "is not allowed to be empty" : word)}");
                }
                return value;
            default:
                var longest = word.Length > 0 && word[0] == ch;
                var pattern = longest ? word[1..] : word;
                return ch == '#'
                    ? ShellPattern.TrimPrefix(value ?? "", pattern, longest)
                    : ShellPattern.TrimSuffix(value ?? "", pattern, longest);
        }
    }

    private string ProcessReplacement(string name)
    {
        var all = Peek() == '/';
        if (all)
        {
            position++;
        }
        var pattern = ProcessInsideBraces('/', keepEscapes: true, "syntax error: missing '/' in ${}");
        var replacement = ProcessInsideBraces('}', keepEscapes: true, "syntax error: missing '}'");
        var value = Lookup(name);
        if (value is null && mode.KeepUnset)
        {
            return "${" + name + "/" + pattern + "/" + replacement + "}";
        }
        return ShellPattern.Replace(value ?? "", pattern, replacement, all);
    }

    private string ProcessInsideBraces(char stop, bool keepEscapes, string missingStop)
    {
        try
        {
            return ProcessUntil(stop, keepEscapes).Result;
        }
        catch (LexException) when (Peek() == End)
        {
            throw new LexException(missingStop);
        }
    }

    // A name is letters, digits and '_'; a leading digit makes a positional parameter of all the digits, and the
    // POSIX special parameters are one character.
    private string ProcessName()
    {
        var name = new StringBuilder();
        while (Peek() != End)
        {
            var ch = (char)Peek();
            if (name.Length == 0 && char.IsDigit(ch))
            {
                while (Peek() != End && char.IsDigit((char)Peek()))
                {
                    name.Append((char)Next());
                }
                return name.ToString();
            }
            if (name.Length == 0 && ch is '@' or '*' or '#' or '?' or '-' or '$' or '!' or '0')
            {
                position++;
                return ch.ToString();
            }
            if (!char.IsLetterOrDigit(ch) && ch != '_')
            {
                break;
            }
            name.Append(ch);
            position++;
        }
        return name.ToString();
    }

    private string? Lookup(string name) => env.TryGetValue(name, out var value) ? value : null;
}
