using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Build.Dockerfile;

internal static partial class InstructionFactory
{
    private static readonly string[] NetworkModes = ["default", "none", "host"];
    private static readonly string[] SecurityModes = ["sandbox", "insecure"];

    // HEALTHCHECK durations below this are refused (Docker 20.10: container.MinimumDuration).
    private static readonly TimeSpan MinimumHealthcheckDuration = TimeSpan.FromMilliseconds(1);

    private static RunInstruction Run(InstructionSource source)
    {
        var flags = new BuilderFlags().Strings("mount").String("network").String("security");
        flags.Parse(source.Flags);
        var network = flags.Value("network");
        if (network is not null && !NetworkModes.Contains(network))
        {
            throw new FormException($"invalid network mode {GoFormat.Quote(network)}");
        }
        var security = flags.Value("security");
        if (security is not null && !SecurityModes.Contains(security))
        {
            throw new FormException($"security {GoFormat.Quote(security)} is not valid");
        }
        return new RunInstruction(source.Lines, source.Code, CommandOf(source.Rest), source.Line.Heredocs,
            [.. flags.All("mount")], network, security);
    }

    private static CommandLine ShellDependent(InstructionSource source)
    {
        NoFlags(source);
        return CommandOf(source.Rest);
    }

    private static CommandLine CommandOf(string rest)
    {
        if (rest.Length == 0)
        {
            return new CommandLine([], IsShellForm: true);
        }
        return ArgumentForms.TryParseJson(rest) is { } json ? new CommandLine(json, false) : new CommandLine([rest], true);
    }

    private static ShellInstruction Shell(InstructionSource source)
    {
        NoFlags(source);
        var command = CommandOf(source.Rest);
        if (command.Arguments.IsEmpty)
        {
            throw new FormException("SHELL requires at least one argument");
        }
        if (command.IsShellForm)
        {
            throw new FormException("SHELL requires the arguments to be in JSON form");
        }
        return new ShellInstruction(source.Lines, source.Code, command.Arguments);
    }

    private static HealthcheckInstruction Healthcheck(InstructionSource source)
    {
        var rest = source.Rest;
        var typeEnd = 0;
        while (typeEnd < rest.Length && !char.IsWhiteSpace(rest[typeEnd]))
        {
            typeEnd++;
        }
        if (typeEnd == 0)
        {
            throw new FormException("HEALTHCHECK requires at least one argument");
        }
        var type = rest[..typeEnd].ToUpperInvariant();
        var command = CommandOf(rest[typeEnd..].TrimStart());
        if (type == "NONE")
        {
            // Docker checks no flags here: HEALTHCHECK --interval=1s NONE is accepted.
            if (!command.Arguments.IsEmpty)
            {
                throw new FormException("HEALTHCHECK NONE takes no arguments");
            }
            return new HealthcheckInstruction(source.Lines, source.Code,
                new HealthcheckConfig(["NONE"], default, default, default, default, 0));
        }
        var flags = new BuilderFlags().String("interval").String("timeout").String("start-period")
            .String("start-interval").String("retries");
        flags.Parse(source.Flags);
        if (type != "CMD")
        {
            throw new FormException($"Unknown type {GoFormat.Quote(type)} in HEALTHCHECK (try CMD)");
        }
        if (command.Arguments.IsEmpty)
        {
            throw new FormException("Missing command after HEALTHCHECK CMD");
        }
        ImmutableArray<string> test = command.IsShellForm
            ? ["CMD-SHELL", string.Join(' ', command.Arguments)]
            : ["CMD", .. command.Arguments];
        return new HealthcheckInstruction(source.Lines, source.Code, new HealthcheckConfig(test,
            Interval(flags, "interval"), Interval(flags, "timeout"), Interval(flags, "start-period"),
            Interval(flags, "start-interval"), Retries(flags.Value("retries"))));
    }

    private static TimeSpan Interval(BuilderFlags flags, string name)
    {
        if (flags.Value(name) is not { Length: > 0 } text)
        {
            return TimeSpan.Zero;
        }
        var duration = GoDuration.Parse(text);
        if (duration < MinimumHealthcheckDuration)
        {
            throw new FormException($"Interval {GoFormat.Quote(name)} cannot be less than {GoFormat.Duration(MinimumHealthcheckDuration)}");
        }
        return duration;
    }

    private static int Retries(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }
        if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var retries))
        {
            throw new FormException($"strconv.ParseInt: parsing {GoFormat.Quote(text)}: invalid syntax");
        }
        if (retries < 1)
        {
            throw new FormException($"--retries must be at least 1 (not {retries})");
        }
        return retries;
    }

    private static OnbuildInstruction Onbuild(InstructionSource source)
    {
        if (source.Rest.Length == 0)
        {
            throw new FormException("ONBUILD requires at least one argument");
        }
        NoFlags(source);
        var (keyword, _, _) = CommandSplitter.Split(source.Rest, source.Escape);
        var trigger = keyword.ToUpperInvariant();
        switch (trigger)
        {
            case "ONBUILD":
                throw new FormException("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "MAINTAINER" or "FROM":
                throw new FormException($"{trigger} isn't allowed as an ONBUILD trigger");
        }
        var expression = new StringBuilder(OnbuildPrefix().Replace(source.Line.Text, ""));
        foreach (var heredoc in source.Line.Heredocs)
        {
            expression.Append('\n').Append(heredoc.Content).Append(heredoc.Name);
        }
        var inner = Create(source.Line with { Text = source.Rest }, source.Escape);
        return new OnbuildInstruction(source.Lines, source.Code, expression.ToString(), inner);
    }

    [GeneratedRegex(@"^\s*ONBUILD\s*", RegexOptions.IgnoreCase)]
    private static partial Regex OnbuildPrefix();
}
