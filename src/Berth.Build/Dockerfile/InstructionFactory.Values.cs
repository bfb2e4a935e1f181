using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Berth.Build.Dockerfile;

internal static partial class InstructionFactory
{
    private static FromInstruction From(InstructionSource source)
    {
        var args = CommandSplitter.SplitOnBlanks(source.Rest);
        string? stageName = null;
        if (args.Count == 3 && args[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
        {
            stageName = args[2].ToLowerInvariant();
            if (!StageNamePattern().IsMatch(stageName))
            {
                throw new FormException($"invalid name for build stage: {GoFormat.Quote(stageName)}, name can't start with a number or contain symbols");
            }
        }
        else if (args.Count != 1)
        {
            throw new FormException("FROM requires either one or three arguments");
        }
        var flags = new BuilderFlags().String("platform");
        flags.Parse(source.Flags);
        return new FromInstruction(source.Lines, source.Code, args[0], stageName, flags.Value("platform"));
    }

    private static CopyInstruction Copy(InstructionSource source)
    {
        var (items, isJson) = SourcesAndDestination(source, "COPY");
        var flags = new BuilderFlags().String("from").String("chown").String("chmod").Bool("link");
        flags.Parse(source.Flags);
        var (paths, contents) = SplitSources(source, items, isJson, "COPY");
        return new CopyInstruction(source.Lines, source.Code, paths, contents, items[^1],
            NonEmpty(flags.Value("from")), NonEmpty(flags.Value("chown")), NonEmpty(flags.Value("chmod")), flags.Boolean("link") == true);
    }

    private static AddInstruction Add(InstructionSource source)
    {
        var (items, isJson) = SourcesAndDestination(source, "ADD");
        var flags = new BuilderFlags().String("chown").String("chmod").Bool("link").String("checksum").Bool("keep-git-dir");
        flags.Parse(source.Flags);
        var (paths, contents) = SplitSources(source, items, isJson, "ADD");
        return new AddInstruction(source.Lines, source.Code, paths, contents, items[^1],
            NonEmpty(flags.Value("chown")), NonEmpty(flags.Value("chmod")), flags.Boolean("link") == true,
            NonEmpty(flags.Value("checksum")), flags.Boolean("keep-git-dir"));
    }

    private static (ImmutableArray<string> Items, bool IsJson) SourcesAndDestination(InstructionSource source, string keyword)
    {
        var (items, isJson) = JsonOrList(source.Rest);
        if (items.Length < 2)
        {
            throw new FormException($"{keyword} requires at least two arguments, but only one was provided. Destination could not be determined");
        }
        return (items, isJson);
    }

    // A source written as <<NAME is the body of that heredoc, not a path in the build context.
    private static (ImmutableArray<string> Paths, ImmutableArray<Heredoc> Contents) SplitSources(
        InstructionSource source, ImmutableArray<string> items, bool isJson, string keyword)
    {
        if (isJson)
        {
            return (items[..^1], []);
        }
        if (HeredocScanner.TryParseHeader(items[^1]) is not null)
        {
            throw new FormException($"{keyword} cannot accept a heredoc as a destination");
        }
        var paths = ImmutableArray.CreateBuilder<string>();
        var contents = ImmutableArray.CreateBuilder<Heredoc>();
        foreach (var item in items[..^1])
        {
            if (HeredocScanner.TryParseHeader(item) is { } header)
            {
                var body = source.Line.Heredocs.FirstOrDefault(h => h.Name == header.Name);
                contents.Add(body ?? header);
            }
            else
            {
                paths.Add(item);
            }
        }
        return (paths.ToImmutable(), contents.ToImmutable());
    }

    private static ExposeInstruction Expose(InstructionSource source)
    {
        var ports = CommandSplitter.SplitOnBlanks(source.Rest);
        if (ports.Count == 0)
        {
            throw new FormException("EXPOSE requires at least one argument");
        }
        NoFlags(source);
        ports.Sort(StringComparer.Ordinal);
        return new ExposeInstruction(source.Lines, source.Code, [.. ports]);
    }

    private static VolumeInstruction Volume(InstructionSource source)
    {
        var (items, _) = JsonOrList(source.Rest);
        if (items.IsEmpty)
        {
            throw new FormException("VOLUME requires at least one argument");
        }
        NoFlags(source);
        var paths = items.Select(p => p.Trim()).ToImmutableArray();
        if (paths.Any(p => p.Length == 0))
        {
            throw new FormException("VOLUME specified can not be an empty string");
        }
        return new VolumeInstruction(source.Lines, source.Code, paths);
    }

    // Docker 20.10 checks no flags on STOPSIGNAL: they are accepted and ignored.
    private static StopsignalInstruction Stopsignal(InstructionSource source) =>
        new(source.Lines, source.Code, ExactlyOne(source, "STOPSIGNAL", checkFlags: false));

    private static ArgInstruction Arg(InstructionSource source)
    {
        var words = ArgumentForms.Words(source.Rest, source.Escape);
        if (words.Count == 0)
        {
            throw new FormException("ARG requires at least one argument");
        }
        var definitions = ImmutableArray.CreateBuilder<ArgDefinition>(words.Count);
        foreach (var word in words)
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals == 0)
            {
                throw new FormException("ARG names can not be blank");
            }
            definitions.Add(equals < 0 ? new ArgDefinition(word, null) : new ArgDefinition(word[..equals], word[(equals + 1)..]));
        }
        NoFlags(source);
        return new ArgInstruction(source.Lines, source.Code, definitions.MoveToImmutable());
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    [GeneratedRegex("^[a-z][a-z0-9-_.]*$")]
    private static partial Regex StageNamePattern();
}
