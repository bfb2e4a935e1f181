using System.Collections.Immutable;
using Berth.Core.Errors;

namespace Berth.Runtime.Containers;

/// <summary>
/// The OCI runtimes containers may choose from, by name, and the default one — dockerd's <c>--add-runtime NAME=PATH</c>
/// and <c>--default-runtime NAME</c>. <c>runc</c> is always known (and reserved, as in Docker); <c>crun</c> is known
/// when it is installed. Any runtime with runc's command line (create, start, kill, state, delete, exec, <c>--root</c>,
/// <c>--log</c>) works.
/// </summary>
public sealed record OciRuntimes
{
    public const string Runc = "runc";
    public const string Crun = "crun";
    public const string RuncPath = "/usr/sbin/runc";
    public const string CrunPath = "/usr/bin/crun";

    /// <summary>runc alone, the default.</summary>
    public static OciRuntimes RuncOnly { get; } = new() { Paths = ImmutableSortedDictionary<string, string>.Empty.Add(Runc, RuncPath) };

    /// <summary>Binary of each known runtime, by name (always holds <see cref="Runc"/>).</summary>
    public required ImmutableSortedDictionary<string, string> Paths { get; init; }

    /// <summary>The runtime of containers created without one.</summary>
    public string Default { get; init; } = Runc;

    public IEnumerable<string> Names => Paths.Keys;

    /// <summary>
    /// The daemon's runtimes from its flags: runc, crun when <paramref name="locate"/> finds it, then each
    /// <c>NAME=PATH</c> of <paramref name="additions"/> (PATH absolute, or a command found on PATH by
    /// <paramref name="locate"/>), and <paramref name="defaultName"/> among them. Every problem is reported together.
    /// </summary>
    public static OciRuntimes Configure(IEnumerable<string> additions, string? defaultName, Func<string, string?> locate)
    {
        ArgumentNullException.ThrowIfNull(additions);
        ArgumentNullException.ThrowIfNull(locate);
        var paths = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        paths[Runc] = locate(RuncPath) ?? RuncPath;
        if (locate(CrunPath) is { } crun)
        {
            paths[Crun] = crun;
        }

        var problems = new List<string>();
        var added = new HashSet<string>(StringComparer.Ordinal);
        foreach (string addition in additions)
        {
            int equals = addition.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? addition : addition[..equals];
            string path = equals < 0 ? "" : addition[(equals + 1)..];
            if (equals <= 0 || path.Length == 0)
            {
                problems.Add($"--add-runtime {addition}: expected NAME=PATH, e.g. --add-runtime crun=/usr/bin/crun");
            }
            else if (!IsValidName(name))
            {
                problems.Add($"--add-runtime {addition}: \"{name}\" is not a valid runtime name; use letters, digits, '.', '_' and '-'");
            }
            else if (name == Runc)
            {
                problems.Add($"--add-runtime {addition}: runtime name 'runc' is reserved; choose another name");
            }
            else if (!added.Add(name))
            {
                problems.Add($"--add-runtime {addition}: runtime \"{name}\" is given twice; give each name once");
            }
            else if (locate(path) is { } found)
            {
                paths[name] = found;
            }
            else
            {
                problems.Add($"--add-runtime {addition}: {path} is not an executable file; give the runtime binary's path");
            }
        }

        string chosen = defaultName is { Length: > 0 } d ? d : Runc;
        if (problems.Count == 0 && !paths.ContainsKey(chosen))
        {
            problems.Add($"--default-runtime {chosen}: no such runtime; known: {string.Join(", ", paths.Keys)} (add one with --add-runtime {chosen}=PATH)");
        }

        return problems.Count > 0
            ? throw new BerthException(ErrorKind.InvalidArgument, string.Join("; ", problems))
            : new OciRuntimes { Paths = paths.ToImmutable(), Default = chosen };
    }

    /// <summary>The name a container created with <paramref name="name"/> runs with (null or empty: the default); unknown names are refused as Docker does.</summary>
    public string Choose(string? name) =>
        name is not { Length: > 0 } ? Default
        : Paths.ContainsKey(name) ? name
        : throw UnknownRuntime(name);

    /// <summary>
    /// The runtime named <paramref name="name"/> (null: the default), with its state directory: runc's is
    /// <paramref name="runcRoot"/> (as before runtimes could be chosen), any other's <c>runcRoot-NAME</c> beside it.
    /// </summary>
    public OciRuntime Resolve(string? name, string runcRoot)
    {
        string chosen = Choose(name);
        return new OciRuntime(chosen, Paths[chosen], chosen == Runc ? runcRoot : runcRoot + "-" + chosen);
    }

    /// <summary>Docker's error for <c>HostConfig.Runtime</c> naming no configured runtime (moby <c>daemon/runtime_unix.go</c>), a 400.</summary>
    public static BerthException UnknownRuntime(string name) =>
        new(ErrorKind.InvalidArgument, $"unknown or invalid runtime name: {name}");

    /// <summary>An executable file at <paramref name="path"/> (absolute) or found on PATH; null when there is none.</summary>
    public static string? Locate(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return IsExecutable(path) ? path : null;
        }

        if (path.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }

        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return directories.Select(d => Path.Combine(d, path)).FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private static bool IsValidName(string name) =>
        name.Length > 0 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
