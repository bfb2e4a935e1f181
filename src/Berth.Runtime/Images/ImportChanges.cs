using System.Text;
using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Runtime.Images;

/// <summary>
/// The Dockerfile-like <c>--change</c> instructions of <c>docker import</c> and <c>docker commit</c> applied to a
/// container config. Every bad change is reported together. Commit takes moby's <c>validCommitCommands</c> (ONBUILD
/// too) and refuses the rest with moby's words.
/// </summary>
public static class ImportChanges
{
    private const string Supported = "CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR";

    /// <summary>moby <c>validCommitCommands</c> (builder/dockerfile/builder.go).</summary>
    private static readonly HashSet<string> CommitInstructions = new(StringComparer.Ordinal)
    {
        "CMD", "ENTRYPOINT", "HEALTHCHECK", "ENV", "EXPOSE", "LABEL", "ONBUILD", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    };

    public static ContainerConfig Apply(ContainerConfig config, IReadOnlyList<string> changes) => Apply(config, changes, commit: false);

    /// <summary><c>docker commit --change</c>: as for import, plus ONBUILD; another instruction is "X is not a valid change command".</summary>
    public static ContainerConfig ApplyCommit(ContainerConfig config, IReadOnlyList<string> changes) => Apply(config, changes, commit: true);

    private static ContainerConfig Apply(ContainerConfig config, IReadOnlyList<string> changes, bool commit)
    {
        var problems = new List<string>();
        foreach (string change in changes)
        {
            try
            {
                config = ApplyOne(config, change, commit);
            }
            catch (BerthException ex) when (ex.Kind == ErrorKind.InvalidArgument)
            {
                problems.Add(ex.Message);
            }
        }

        if (problems.Count > 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, string.Join("; ", problems));
        }

        return config;
    }

    private static ContainerConfig ApplyOne(ContainerConfig config, string change, bool commit)
    {
        string trimmed = change.Trim();
        int space = trimmed.IndexOfAny([' ', '\t']);
        string instruction = (space < 0 ? trimmed : trimmed[..space]).ToUpperInvariant();
        string rest = space < 0 ? "" : trimmed[(space + 1)..].Trim();
        if (instruction.Length == 0)
        {
            throw Invalid(change, "the change is empty; write an instruction such as CMD [\"sh\"]");
        }

        if (commit && !CommitInstructions.Contains(instruction))
        {
            // moby builder/dockerfile BuildFromConfig: the parser lowercases the instruction.
            throw new BerthException(ErrorKind.InvalidArgument, $"{instruction.ToLowerInvariant()} is not a valid change command");
        }

        if (rest.Length == 0)
        {
            throw Invalid(change, $"{instruction} needs an argument");
        }

        switch (instruction)
        {
            case "CMD":
                return config with { Cmd = ParseCommand(change, rest) };
            case "ENTRYPOINT":
                return config with { Entrypoint = ParseCommand(change, rest) };
            case "WORKDIR":
                return config with { WorkingDir = rest };
            case "USER":
                return config with { User = rest };
            case "STOPSIGNAL":
                return config with { StopSignal = rest };
            case "ENV":
                return config with { Env = MergeEnv(config.Env, ParsePairs(change, rest, allowSpaceForm: true)) };
            case "LABEL":
                var labels = new Dictionary<string, string>(config.Labels ?? new Dictionary<string, string>());
                foreach (var (key, value) in ParsePairs(change, rest, allowSpaceForm: false))
                {
                    labels[key] = value;
                }

                return config with { Labels = labels };
            case "EXPOSE":
                var ports = new Dictionary<string, EmptyObject>(config.ExposedPorts ?? new Dictionary<string, EmptyObject>());
                foreach (string port in rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).SelectMany(p => ExposedPorts(change, p)))
                {
                    ports[port] = EmptyObject.Instance;
                }

                return config with { ExposedPorts = ports };
            case "VOLUME":
                // JSON array or space-separated paths, as the Dockerfile instruction.
                var volumes = new Dictionary<string, EmptyObject>(config.Volumes ?? new Dictionary<string, EmptyObject>());
                foreach (string path in ParseList(rest))
                {
                    volumes[path] = EmptyObject.Instance;
                }

                return config with { Volumes = volumes };
            case "ONBUILD" when commit:
                return config with { OnBuild = [.. config.OnBuild ?? [], rest] };
            case "HEALTHCHECK" when commit:
                throw Invalid(change, "HEALTHCHECK is not supported in Berth's changes yet; set the healthcheck when running the image (docker run --health-cmd)");
            default:
                throw Invalid(change, $"instruction {instruction} is not supported; use one of {Supported}");
        }
    }

    /// <summary>A JSON array of strings, or else space-separated words.</summary>
    private static IEnumerable<string> ParseList(string rest)
    {
        if (rest.StartsWith('['))
        {
            try
            {
                if (JsonSerializer.Deserialize(rest, ImagesJsonContext.Default.StringArray) is { } parsed)
                {
                    return parsed;
                }
            }
            catch (JsonException)
            {
                // Not JSON: the words as written.
            }
        }

        return rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
    }

    private static List<string> ParseCommand(string change, string rest)
    {
        if (rest.StartsWith('['))
        {
            try
            {
                var parsed = JsonSerializer.Deserialize(rest, ImagesJsonContext.Default.StringArray);
                if (parsed is not null)
                {
                    return [.. parsed];
                }
            }
            catch (JsonException)
            {
                // Docker falls back to the shell form for text that is not a JSON array.
            }
        }

        return ["/bin/sh", "-c", rest];
    }

    private static IReadOnlyList<string> ExposedPorts(string change, string word)
    {
        try
        {
            return ExposeSpec.Parse(word);
        }
        catch (BerthException ex) when (ex.Kind == ErrorKind.InvalidArgument)
        {
            throw Invalid(change, ex.Message);
        }
    }

    internal static List<string> MergeEnv(IReadOnlyList<string>? env, List<(string Key, string Value)> pairs)
    {
        var result = new List<string>(env ?? []);
        foreach (var (key, value) in pairs)
        {
            result.RemoveAll(e => e == key || e.StartsWith(key + "=", StringComparison.Ordinal));
            result.Add(key + "=" + value);
        }

        return result;
    }

    /// <summary>Parses <c>k=v k2="v 2"</c>; with <paramref name="allowSpaceForm"/> also <c>k some value</c>.</summary>
    internal static List<(string Key, string Value)> ParsePairs(string change, string rest, bool allowSpaceForm)
    {
        var words = SplitWords(change, rest);
        bool firstHasEquals = words.Count > 0 && words[0].Contains('=', StringComparison.Ordinal);
        if (!firstHasEquals)
        {
            if (!allowSpaceForm || words.Count < 2)
            {
                throw Invalid(change, "expected KEY=VALUE pairs");
            }

            int space = rest.IndexOfAny([' ', '\t']);
            return [(words[0], rest[(space + 1)..].Trim())];
        }

        var pairs = new List<(string, string)>();
        foreach (string word in words)
        {
            int eq = word.IndexOf('=');
            if (eq <= 0)
            {
                throw Invalid(change, $"\"{word}\" is not KEY=VALUE");
            }

            pairs.Add((word[..eq], word[(eq + 1)..]));
        }

        return pairs;
    }

    private static List<string> SplitWords(string change, string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        char quote = '\0';
        bool inWord = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && quote == '"' && i + 1 < text.Length)
                {
                    current.Append(text[++i]);
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (quote != '\0')
        {
            throw Invalid(change, $"unterminated {quote} quote");
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    private static BerthException Invalid(string change, string problem) =>
        new(ErrorKind.InvalidArgument, $"import change \"{change}\": {problem}");
}
