using System.Collections.Immutable;
using Berth.Compose.Model;
using Berth.Core.Errors;

namespace Berth.Compose.Loading;

/// <summary>
/// Loads a compose project: finds the files, reads <c>.env</c>, reads and interpolates each file, merges them in order,
/// settles the project name and profiles, and binds the result into a <see cref="ComposeProject"/>. Every problem of
/// every phase is collected; if there is any, a <see cref="ComposeFileException"/> lists them all and nothing is returned.
/// </summary>
public static class ComposeLoader
{
    private static readonly string[] DefaultFiles = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

    public static ComposeProject Load(ComposeLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new ProblemList();
        var files = FindFiles(options);
        var workingDirectory = Path.GetFullPath(options.ProjectDirectory ?? Path.GetDirectoryName(files[0].FullPath)!, options.CurrentDirectory);

        var dotEnv = new Dictionary<string, string>(StringComparer.Ordinal);
        var envFiles = options.EnvFiles.Count > 0 ? options.EnvFiles : File.Exists(Path.Combine(workingDirectory, ".env")) ? [".env"] : [];
        foreach (var envFile in envFiles)
        {
            var full = Path.GetFullPath(envFile, options.EnvFiles.Count > 0 ? options.CurrentDirectory : workingDirectory);
            if (!File.Exists(full))
            {
                throw new BerthException(ErrorKind.NotFound, $"env file {full} not found; check the path given with --env-file");
            }

            foreach (var (key, value) in DotEnvFile.Parse(File.ReadAllText(full), envFile, name => options.Environment(name) ?? dotEnv.GetValueOrDefault(name), problems))
            {
                dotEnv[key] = value;
            }
        }

        string? Lookup(string name) => options.Environment(name) ?? dotEnv.GetValueOrDefault(name);

        MappingNode? merged = null;
        var unreadable = false;
        foreach (var (display, full) in files)
        {
            var root = YamlReader.Read(File.ReadAllText(full), display, problems);
            if (root is null)
            {
                unreadable = true;
                continue;
            }

            root = (MappingNode)Interpolate(root, "", Lookup, problems);
            merged = merged is null ? root : NodeMerger.Merge(merged, root);
        }

        // A file that is not YAML at all leaves nothing sound to check the rest against.
        if (unreadable)
        {
            problems.ThrowIfAny();
        }

        var context = new ComposeLoadContext(
            ResolveProjectName(options, merged!, workingDirectory, Lookup, problems),
            workingDirectory,
            [.. files.Select(f => f.FullPath)],
            ResolveProfiles(options, Lookup),
            Lookup,
            options.Stack);
        var project = new ProjectBinder(problems, context).Bind(merged!);
        foreach (var warning in problems.Warnings)
        {
            options.Warning?.Invoke(warning);
        }

        problems.ThrowIfAny();
        return project;
    }

    private static List<(string Display, string FullPath)> FindFiles(ComposeLoadOptions options)
    {
        var named = options.Files.Count > 0
            ? options.Files
            : options.Environment("COMPOSE_FILE") is { Length: > 0 } composeFile
                ? composeFile.Split(options.Environment("COMPOSE_PATH_SEPARATOR") ?? ":", StringSplitOptions.RemoveEmptyEntries)
                : null;
        if (named is not null)
        {
            var files = new List<(string, string)>();
            foreach (var file in named)
            {
                var full = Path.GetFullPath(file, options.CurrentDirectory);
                if (!File.Exists(full))
                {
                    throw new BerthException(ErrorKind.NotFound, $"compose file {full} not found; check the path given with -f");
                }

                files.Add((file, full));
            }

            return files;
        }

        for (var directory = options.CurrentDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            var found = DefaultFiles.FirstOrDefault(name => File.Exists(Path.Combine(directory, name)));
            if (found is null)
            {
                continue;
            }

            var files = new List<(string, string)> { (found, Path.Combine(directory, found)) };
            var stem = found[..found.LastIndexOf('.')];
            var overrideFile = new[] { stem + ".override.yaml", stem + ".override.yml" }.FirstOrDefault(name => File.Exists(Path.Combine(directory, name)));
            if (overrideFile is not null)
            {
                files.Add((overrideFile, Path.Combine(directory, overrideFile)));
            }

            return files;
        }

        throw new BerthException(ErrorKind.NotFound,
            $"no compose file in {options.CurrentDirectory} or above (looked for {string.Join(", ", DefaultFiles)}); name one with -f");
    }

    /// <summary><c>-p</c>, then <c>COMPOSE_PROJECT_NAME</c>, then the top-level <c>name:</c> (all three must be valid as given), else the directory's name normalized.</summary>
    private static string ResolveProjectName(ComposeLoadOptions options, MappingNode root, string workingDirectory, Func<string, string?> lookup, ProblemList problems)
    {
        if (options.ProjectName is { } flag)
        {
            // A stack's name is docker's to check (anything not blank), and it names the stack's objects as given.
            return options.Stack || ProjectName.IsValid(flag) ? flag : throw InvalidName(flag, "-p");
        }

        if (lookup("COMPOSE_PROJECT_NAME") is { Length: > 0 } variable)
        {
            return ProjectName.IsValid(variable) ? variable : throw InvalidName(variable, "COMPOSE_PROJECT_NAME");
        }

        if (root["name"] is ScalarNode { IsNull: false } name)
        {
            if (ProjectName.IsValid(name.Value))
            {
                return name.Value;
            }

            problems.Add(name, "name", $"\"{name.Value}\" is not a project name; use lowercase letters, digits, \"_\" and \"-\", starting with a letter or digit");
        }
        else if (root["name"] is { } other and not ScalarNode)
        {
            problems.Add(other, "name", $"must be a string, not {other.Kind}");
        }

        var normalized = ProjectName.Normalize(Path.GetFileName(workingDirectory.TrimEnd('/')));
        return normalized.Length > 0 ? normalized
            : throw new BerthException(ErrorKind.InvalidArgument,
                $"the directory name \"{Path.GetFileName(workingDirectory)}\" gives no project name; set one with -p or name:");
    }

    private static BerthException InvalidName(string name, string source) =>
        new(ErrorKind.InvalidArgument,
            $"invalid project name \"{name}\" ({source}): use lowercase letters, digits, \"_\" and \"-\", starting with a letter or digit");

    private static HashSet<string> ResolveProfiles(ComposeLoadOptions options, Func<string, string?> lookup)
    {
        var profiles = options.Profiles.Count > 0
            ? options.Profiles
            : (lookup("COMPOSE_PROFILES") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new HashSet<string>(profiles, StringComparer.Ordinal);
    }

    /// <summary>Every scalar value (not key) interpolated; a value that cannot be is reported and kept as written.</summary>
    private static ComposeNode Interpolate(ComposeNode node, string path, Func<string, string?> lookup, ProblemList problems)
    {
        switch (node)
        {
            case ScalarNode scalar when scalar.Value.Contains('$'):
                if (Interpolator.TryInterpolate(scalar.Value, lookup, name => problems.Warn(scalar, path, $"the variable {name} is not set; using an empty string"),
                        out var value, out var error))
                {
                    // An interpolated value is a string, even an empty one (a plain empty scalar would read as null).
                    return scalar with { Value = value, Plain = false };
                }

                problems.Add(scalar, path, error);
                return scalar;
            case SequenceNode sequence:
                return sequence with { Items = [.. sequence.Items.Select((item, i) => Interpolate(item, $"{path}[{i}]", lookup, problems))] };
            case MappingNode map:
                return map with
                {
                    Entries = [.. map.Entries.Select(e => e with { Value = Interpolate(e.Value, path.Length == 0 ? e.Key.Value : $"{path}.{e.Key.Value}", lookup, problems) })],
                };
            default:
                return node;
        }
    }
}
