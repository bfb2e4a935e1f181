using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Builds the typed <see cref="Instruction"/> for one logical line, checking its arguments and flags with Docker's
/// rules and messages (BuildKit's <c>instructions</c> package as vendored by Docker 20.10).
/// </summary>
internal static partial class InstructionFactory
{
    public static Instruction Create(LogicalLine line, char escape)
    {
        var (keyword, flags, rest) = CommandSplitter.Split(line.Text, escape);
        var source = new InstructionSource(keyword, flags, rest, line, escape);
        try
        {
            return Create(source);
        }
        catch (FormException e)
        {
            throw new DockerfileException(e.Message, line.Lines);
        }
        catch (DockerfileException e) when (e.Lines is null)
        {
            throw new DockerfileException(e.Reason, line.Lines);
        }
    }

    private static Instruction Create(InstructionSource source) => source.Keyword.ToUpperInvariant() switch
    {
        "FROM" => From(source),
        "RUN" => Run(source),
        "CMD" => new CmdInstruction(source.Lines, source.Code, ShellDependent(source)),
        "ENTRYPOINT" => new EntrypointInstruction(source.Lines, source.Code, ShellDependent(source)),
        "ENV" => new EnvInstruction(source.Lines, source.Code, NameValues(source, "ENV")),
        "LABEL" => new LabelInstruction(source.Lines, source.Code, NameValues(source, "LABEL")),
        "ARG" => Arg(source),
        "EXPOSE" => Expose(source),
        "COPY" => Copy(source),
        "ADD" => Add(source),
        "WORKDIR" => new WorkdirInstruction(source.Lines, source.Code, ExactlyOne(source, "WORKDIR")),
        "USER" => new UserInstruction(source.Lines, source.Code, ExactlyOne(source, "USER")),
        "VOLUME" => Volume(source),
        "HEALTHCHECK" => Healthcheck(source),
        "STOPSIGNAL" => Stopsignal(source),
        "SHELL" => Shell(source),
        "ONBUILD" => Onbuild(source),
        "MAINTAINER" => new MaintainerInstruction(source.Lines, source.Code, ExactlyOne(source, "MAINTAINER")),
        _ => throw new FormException($"unknown instruction: {source.Keyword.ToUpperInvariant()}"),
    };

    /// <summary>An instruction with no flags of its own still rejects any flag given to it.</summary>
    private static void NoFlags(InstructionSource source) => new BuilderFlags().Parse(source.Flags);

    // WORKDIR, USER, MAINTAINER and STOPSIGNAL take the whole rest of the line as their one argument.
    private static string ExactlyOne(InstructionSource source, string keyword, bool checkFlags = true)
    {
        if (source.Rest.Length == 0)
        {
            throw new FormException($"{keyword} requires exactly one argument");
        }
        if (checkFlags)
        {
            NoFlags(source);
        }
        return source.Rest;
    }

    private static ImmutableArray<KeyValue> NameValues(InstructionSource source, string keyword)
    {
        NoFlags(source);
        var pairs = ArgumentForms.NameValues(source.Rest, keyword, source.Escape);
        if (pairs.Count == 0)
        {
            throw new FormException($"{keyword} requires at least one argument");
        }
        if (pairs.Exists(p => p.Key.Length == 0))
        {
            throw new FormException($"{keyword} names can not be blank");
        }
        return [.. pairs];
    }

    /// <summary>The JSON form when the rest is a JSON array of strings, else the whitespace-separated words.</summary>
    private static (ImmutableArray<string> Items, bool IsJson) JsonOrList(string rest) =>
        ArgumentForms.TryParseJson(rest) is { } json ? (json, true) : ([.. CommandSplitter.SplitOnBlanks(rest)], false);

    private sealed record InstructionSource(string Keyword, List<string> Flags, string Rest, LogicalLine Line, char Escape)
    {
        public SourceRange Lines => Line.Lines;

        public string Code => Line.Text.Trim();
    }
}
