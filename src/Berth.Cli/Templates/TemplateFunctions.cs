using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Berth.Cli.Templates;

/// <summary>
/// Go's built-in template functions that matter for docker output (index, len, print, printf, println, not, and, or,
/// eq, ne, lt, le, gt, ge) and docker's own (json, split, join, title, lower, upper, pad, truncate).
/// In header mode docker's own ones return their first argument, so <c>table {{upper .Name}}</c> prints the header unchanged.
/// </summary>
public static class TemplateFunctions
{
    private static readonly HashSet<string> DockerFunctions = ["json", "split", "join", "title", "lower", "upper", "pad", "truncate"];

    private static readonly HashSet<string> Names =
        [.. DockerFunctions, "index", "len", "print", "printf", "println", "not", "and", "or", "eq", "ne", "lt", "le", "gt", "ge"];

    public static bool Exists(string name) => Names.Contains(name);

    public static object? Call(string name, IReadOnlyList<object?> args, bool headerMode)
    {
        if (headerMode && DockerFunctions.Contains(name))
        {
            return args.Count > 0 ? GoValue.Print(args[0]) : "";
        }

        switch (name)
        {
            case "json":
                Arity(name, args, 1);
                var json = new StringBuilder();
                GoJson.Write(json, args[0]);
                return json.ToString();
            case "split":
                Arity(name, args, 2);
                return String(name, args[0]).Split(String(name, args[1])).Cast<object?>().ToList();
            case "join":
                Arity(name, args, 2);
                return string.Join(String(name, args[1]), List(name, args[0]).Select(GoValue.Print));
            case "title":
                Arity(name, args, 1);
                return Title(String(name, args[0]));
            case "lower":
                Arity(name, args, 1);
                return String(name, args[0]).ToLowerInvariant();
            case "upper":
                Arity(name, args, 1);
                return String(name, args[0]).ToUpperInvariant();
            case "pad":
                Arity(name, args, 3);
                var source = String(name, args[0]);
                return source.Length == 0 ? source : new string(' ', Int(name, args[1])) + source + new string(' ', Int(name, args[2]));
            case "truncate":
                Arity(name, args, 2);
                var text = String(name, args[0]);
                var length = Int(name, args[1]);
                return text.Length < length ? text : text[..length];
            case "index":
                return Index(args);
            case "len":
                Arity(name, args, 1);
                return Length(args[0]);
            case "print":
                return Print(args, spaces: false);
            case "println":
                return Print(args, spaces: true) + "\n";
            case "printf":
                if (args.Count == 0)
                {
                    throw new TemplateFunctionException("wrong number of args for printf: want at least 1 got 0");
                }

                return Printf(String(name, args[0]), args.Skip(1).ToList());
            case "not":
                Arity(name, args, 1);
                return !GoValue.IsTrue(args[0]);
            case "and":
                return args.FirstOrDefault(a => !GoValue.IsTrue(a), args.Count > 0 ? args[^1] : null);
            case "or":
                return args.FirstOrDefault(GoValue.IsTrue, args.Count > 0 ? args[^1] : null);
            case "eq":
                return args.Count >= 2 && args.Skip(1).Any(a => Compare(args[0], a) == 0);
            case "ne":
                Arity(name, args, 2);
                return Compare(args[0], args[1]) != 0;
            case "lt":
                Arity(name, args, 2);
                return Compare(args[0], args[1]) < 0;
            case "le":
                Arity(name, args, 2);
                return Compare(args[0], args[1]) <= 0;
            case "gt":
                Arity(name, args, 2);
                return Compare(args[0], args[1]) > 0;
            case "ge":
                Arity(name, args, 2);
                return Compare(args[0], args[1]) >= 0;
            default:
                throw new TemplateFunctionException($"function \"{name}\" not defined");
        }
    }

    private static void Arity(string name, IReadOnlyList<object?> args, int want)
    {
        if (args.Count != want)
        {
            throw new TemplateFunctionException($"wrong number of args for {name}: want {want} got {args.Count}");
        }
    }

    private static string String(string name, object? value) => GoValue.Unwrap(value) switch
    {
        string s => s,
        TemplateTime t => t.ToString(),
        var other => throw new TemplateFunctionException(
            $"error calling {name}: wrong type for value; expected string; got {TypeName(other)}"),
    };

    private static int Int(string name, object? value) => GoValue.Unwrap(value) switch
    {
        long l => (int)l,
        var other => throw new TemplateFunctionException($"error calling {name}: wrong type for value; expected int; got {TypeName(other)}"),
    };

    private static IEnumerable<object?> List(string name, object? value) => GoValue.Unwrap(value) switch
    {
        IReadOnlyList<object?> list => list,
        JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(e => (object?)e),
        var other => throw new TemplateFunctionException($"error calling {name}: wrong type for value; expected []string; got {TypeName(other)}"),
    };

    public static string TypeName(object? value) => GoValue.Unwrap(value) switch
    {
        null => "<nil>",
        string => "string",
        bool => "bool",
        long => "int",
        double => "float64",
        JsonElement { ValueKind: JsonValueKind.Array } => "[]interface {}",
        JsonElement { ValueKind: JsonValueKind.Object } => "map[string]interface {}",
        IReadOnlyList<object?> => "[]string",
        ITemplateObject obj => obj.TypeName,
        TemplateTime => "time.Time",
        var other => other.GetType().Name,
    };

    private static object? Index(IReadOnlyList<object?> args)
    {
        if (args.Count == 0)
        {
            throw new TemplateFunctionException("wrong number of args for index: want at least 1 got 0");
        }

        var item = args[0];
        foreach (var key in args.Skip(1))
        {
            var k = GoValue.Unwrap(key);
            item = (GoValue.Unwrap(item), k) switch
            {
                (JsonElement { ValueKind: JsonValueKind.Object } obj, string name) => obj.TryGetProperty(name, out var v) ? v : null,
                (JsonElement { ValueKind: JsonValueKind.Array } array, long i) when i >= 0 && i < array.GetArrayLength() => array[(int)i],
                (IReadOnlyList<object?> list, long i) when i >= 0 && i < list.Count => list[(int)i],
                (JsonElement { ValueKind: JsonValueKind.Array } or IReadOnlyList<object?>, long i) =>
                    throw new TemplateFunctionException($"error calling index: index out of range: {i}"),
                (null, _) => throw new TemplateFunctionException("error calling index: index of untyped nil"),
                var (container, _) => throw new TemplateFunctionException(
                    $"error calling index: cannot index {TypeName(container)} with {TypeName(k)}"),
            };
        }

        return item;
    }

    private static long Length(object? value) => GoValue.Unwrap(value) switch
    {
        string s => Encoding.UTF8.GetByteCount(s),
        JsonElement { ValueKind: JsonValueKind.Array } array => array.GetArrayLength(),
        JsonElement { ValueKind: JsonValueKind.Object } obj => obj.EnumerateObject().Count(),
        IReadOnlyList<object?> list => list.Count,
        var other => throw new TemplateFunctionException($"error calling len: len of type {TypeName(other)}"),
    };

    /// <summary>Go's fmt.Sprint: a space between operands when neither is a string.</summary>
    private static string Print(IReadOnlyList<object?> args, bool spaces)
    {
        var output = new StringBuilder();
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0 && (spaces || (GoValue.Unwrap(args[i - 1]) is not string && GoValue.Unwrap(args[i]) is not string)))
            {
                output.Append(' ');
            }

            output.Append(GoValue.Print(args[i]));
        }

        return output.ToString();
    }

    /// <summary>The verbs people use in docker formats: %s %v %d %q %t %%, with width and <c>-</c>.</summary>
    private static string Printf(string format, IReadOnlyList<object?> args)
    {
        var output = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                output.Append(format[i]);
                continue;
            }

            i++;
            if (format[i] == '%')
            {
                output.Append('%');
                continue;
            }

            var leftAlign = false;
            if (format[i] == '-')
            {
                leftAlign = true;
                i++;
            }

            var width = 0;
            while (i < format.Length && char.IsAsciiDigit(format[i]))
            {
                width = (width * 10) + (format[i++] - '0');
            }

            if (i >= format.Length)
            {
                output.Append("%!(NOVERB)");
                break;
            }

            var verb = format[i];
            if (next >= args.Count)
            {
                output.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            var arg = args[next++];
            var text = verb == 'q' ? Quote(GoValue.Print(arg)) : GoValue.Print(arg);
            output.Append(leftAlign ? text.PadRight(width) : text.PadLeft(width));
        }

        return output.ToString();
    }

    private static string Quote(string s)
    {
        var output = new StringBuilder();
        GoJson.WriteString(output, s);
        return output.ToString();
    }

    private static int Compare(object? a, object? b) => (GoValue.Unwrap(a), GoValue.Unwrap(b)) switch
    {
        (null, null) => 0,
        (string x, string y) => string.CompareOrdinal(x, y),
        (long x, long y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (long x, double y) => ((double)x).CompareTo(y),
        (double x, long y) => x.CompareTo(y),
        (bool x, bool y) => x == y ? 0 : 1,
        var (x, y) => throw new TemplateFunctionException($"error calling eq: incompatible types for comparison: {TypeName(x)} and {TypeName(y)}"),
    };

    private static string Title(string s)
    {
        var chars = s.ToCharArray();
        var start = true;
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsLetter(chars[i]))
            {
                if (start)
                {
                    chars[i] = char.ToUpperInvariant(chars[i]);
                }

                start = false;
            }
            else
            {
                start = !char.IsDigit(chars[i]) && chars[i] != '\'';
            }
        }

        return new string(chars);
    }
}
