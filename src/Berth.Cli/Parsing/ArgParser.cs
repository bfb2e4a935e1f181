namespace Berth.Cli.Parsing;

/// <summary>
/// pflag-style parsing, as docker's: <c>--flag value</c>, <c>--flag=value</c>, <c>-f value</c>, <c>-fvalue</c>, grouped short
/// booleans (<c>-qf x</c>), <c>--bool=false</c>, and <c>--</c> ending the flags. Flags may follow positional arguments unless
/// <c>interspersed</c> is false (<c>run IMAGE CMD -c x</c>: everything from the first positional on is the container's).
/// </summary>
public static class ArgParser
{
    public const int FlagErrorExitCode = 125;

    public static ParsedArgs Parse(IReadOnlyList<string> args, IReadOnlyList<FlagSpec> specs, string command, string usage, bool interspersed = true)
    {
        var parsed = new ParsedArgs();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                parsed.Positionals.AddRange(args.Skip(i + 1));
                break;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var equals = arg.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? arg[2..] : arg[2..equals];
                var spec = specs.FirstOrDefault(s => s.Named(name)) ?? throw FlagError($"unknown flag: --{name}", command, usage);
                if (!spec.TakesValue)
                {
                    parsed.Add(spec.Long, equals < 0 ? "true" : ParseBool(arg[(equals + 1)..], spec, command, usage));
                }
                else if (equals >= 0)
                {
                    parsed.Add(spec.Long, arg[(equals + 1)..]);
                }
                else if (i + 1 < args.Count)
                {
                    parsed.Add(spec.Long, args[++i]);
                }
                else
                {
                    throw FlagError($"flag needs an argument: --{name}", command, usage);
                }
            }
            else if (arg.Length > 1 && arg[0] == '-')
            {
                for (var j = 1; j < arg.Length; j++)
                {
                    var shorthand = arg[j];
                    var spec = specs.FirstOrDefault(s => s.Short == shorthand)
                        ?? throw FlagError($"unknown shorthand flag: '{shorthand}' in {arg}", command, usage);
                    if (!spec.TakesValue && j + 1 < arg.Length && arg[j + 1] == '=')
                    {
                        // pflag: -H=false sets a boolean shorthand explicitly.
                        parsed.Add(spec.Long, ParseBool(arg[(j + 2)..], spec, command, usage));
                        break;
                    }

                    if (!spec.TakesValue)
                    {
                        parsed.Add(spec.Long, "true");
                        continue;
                    }

                    if (j + 1 < arg.Length)
                    {
                        parsed.Add(spec.Long, arg[(j + 1)..].TrimStart('='));
                    }
                    else if (i + 1 < args.Count)
                    {
                        parsed.Add(spec.Long, args[++i]);
                    }
                    else
                    {
                        throw FlagError($"flag needs an argument: '{shorthand}' in -{shorthand}", command, usage);
                    }

                    break;
                }
            }
            else if (!interspersed)
            {
                parsed.Positionals.AddRange(args.Skip(i));
                break;
            }
            else
            {
                parsed.Positionals.Add(arg);
            }
        }

        return parsed;
    }

    /// <summary>Go's strconv.ParseBool, which pflag uses.</summary>
    private static string ParseBool(string value, FlagSpec spec, string command, string usage) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => "true",
        "0" or "f" or "F" or "false" or "FALSE" or "False" => "false",
        _ => throw FlagError(
            $"invalid argument \"{value}\" for \"--{spec.Long}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax", command, usage),
    };

    public static UsageException FlagError(string message, string command, string usage) =>
        new(message, usage, $"Run '{command} --help' for more information", FlagErrorExitCode);
}
