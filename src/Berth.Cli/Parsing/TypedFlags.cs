using System.Globalization;
using System.Numerics;

namespace Berth.Cli.Parsing;

/// <summary>
/// Typed flag values as docker's pflag values parse them, failing with pflag's words
/// (<c>invalid argument "64x" for "-m, --memory" flag: invalid suffix: 'x'</c>, exit 125): go-units' <c>RAMInBytes</c>,
/// docker's <c>MemSwapBytes</c> and <c>NanoCPUs</c>, Go's <c>strconv</c> integers.
/// </summary>
public static class TypedFlags
{
    private const long NanosPerCpu = 1_000_000_000;

    /// <summary>Where go-units splits a size's number from its suffix.</summary>
    private static readonly System.Buffers.SearchValues<char> NumberCharacters = System.Buffers.SearchValues.Create("01234567890. ");

    /// <summary>go-units' binary multipliers for k, m, g, t, p.</summary>
    private static readonly Dictionary<char, long> BinaryUnits = new()
    {
        ['k'] = 1L << 10,
        ['m'] = 1L << 20,
        ['g'] = 1L << 30,
        ['t'] = 1L << 40,
        ['p'] = 1L << 50,
    };

    /// <summary>go-units <c>RAMInBytes</c>: <c>64m</c>, <c>1.5g</c>, <c>512KiB</c>, <c>100</c>.</summary>
    public static bool TryParseRamInBytes(string text, out long bytes, out string error)
    {
        bytes = -1;
        var separator = text.AsSpan().LastIndexOfAny(NumberCharacters);
        if (separator < 0)
        {
            error = $"invalid size: '{text}'";
            return false;
        }

        var number = text[separator] == ' ' ? text[..separator] : text[..(separator + 1)];
        var suffix = text[(separator + 1)..];
        if (!double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var size))
        {
            error = $"strconv.ParseFloat: parsing \"{number}\": invalid syntax";
            return false;
        }

        if (size < 0)
        {
            error = $"invalid size: '{text}'";
            return false;
        }

        error = "";
        if (suffix.Length == 0)
        {
            bytes = (long)size;
            return true;
        }

        var lower = suffix.ToLowerInvariant();
        var valid = lower.Length <= 3 && (lower == "b" || (BinaryUnits.ContainsKey(lower[0]) && lower.Length switch
        {
            1 => true,
            2 => lower[1] == 'b',
            _ => lower[1..] == "ib",
        }));
        if (!valid)
        {
            error = $"invalid suffix: '{lower}'";
            return false;
        }

        bytes = lower == "b" ? (long)size : (long)(size * BinaryUnits[lower[0]]);
        return true;
    }

    /// <summary>docker's <c>MemBytes</c> flag value.</summary>
    public static long Bytes(ParsedArgs args, FlagSpec flag, string command, string usage) =>
        args.Last(flag.Long) is not { } text ? 0
        : TryParseRamInBytes(text, out var bytes, out var error) ? bytes
        : throw Invalid(text, flag, error, command, usage);

    /// <summary>docker's <c>MemSwapBytes</c>: <c>-1</c> (unlimited swap) or a size.</summary>
    public static long SwapBytes(ParsedArgs args, FlagSpec flag, string command, string usage) =>
        args.Last(flag.Long) == "-1" ? -1 : Bytes(args, flag, command, usage);

    /// <summary>docker's <c>NanoCPUs</c>: a rational number of CPUs (<c>0.5</c>, <c>3/2</c>) times 10⁹, which must come out whole.</summary>
    public static long NanoCpus(ParsedArgs args, FlagSpec flag, string command, string usage)
    {
        if (args.Last(flag.Long) is not { } text)
        {
            return 0;
        }

        if (!TryParseRational(text, out var numerator, out var denominator))
        {
            throw Invalid(text, flag, $"failed to parse {text} as a rational number", command, usage);
        }

        var nanos = BigInteger.DivRem(numerator * NanosPerCpu, denominator, out var remainder);
        return remainder.IsZero ? (long)nanos : throw Invalid(text, flag, "value is too precise", command, usage);
    }

    /// <summary>Go's <c>strconv.ParseInt(s, 0, 64)</c> as pflag's int64 flags use it (base 10 here).</summary>
    public static long Int64(ParsedArgs args, FlagSpec flag, string command, string usage, long min = long.MinValue, long max = long.MaxValue)
    {
        if (args.Last(flag.Long) is not { } text)
        {
            return 0;
        }

        var function = min == 0 ? "strconv.ParseUint" : "strconv.ParseInt";
        if (!BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || (min == 0 && text.StartsWith('-')))
        {
            throw Invalid(text, flag, $"{function}: parsing \"{text}\": invalid syntax", command, usage);
        }

        return value < min || value > max ? throw Invalid(text, flag, $"{function}: parsing \"{text}\": value out of range", command, usage) : (long)value;
    }

    /// <summary>big.Rat's SetString for what people type: <c>2</c>, <c>0.25</c>, <c>1e-1</c>, <c>3/2</c>.</summary>
    private static bool TryParseRational(string text, out BigInteger numerator, out BigInteger denominator)
    {
        numerator = BigInteger.Zero;
        denominator = BigInteger.One;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            return BigInteger.TryParse(text[..slash], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out numerator)
                && BigInteger.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out denominator) && !denominator.IsZero;
        }

        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        var scale = value.Scale;
        denominator = BigInteger.Pow(10, scale);
        numerator = new BigInteger(value * (decimal)Math.Pow(10, scale));
        return true;
    }

    private static UsageException Invalid(string text, FlagSpec flag, string reason, string command, string usage) =>
        ArgParser.FlagError($"invalid argument \"{text}\" for \"{(flag.Short is { } s ? $"-{s}, " : "")}--{flag.Long}\" flag: {reason}", command, usage);
}
