using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Build arguments with Docker's classic-builder rules (builder/dockerfile/buildargs.go): a <c>--build-arg</c>
/// value overrides an ARG default; an ARG without a default inside a stage takes the global (before the first
/// FROM) value of the same name; the proxy variables are predefined — usable in RUN without an ARG, but kept
/// out of the cache key and history unless the Dockerfile declares them.
/// </summary>
public sealed record BuildArguments(
    ImmutableDictionary<string, string?> Options,
    ImmutableDictionary<string, string?> Globals)
{
    /// <summary>Docker's predefined ARGs (Dockerfile reference, "Predefined ARGs").</summary>
    public static ImmutableArray<string> Predefined { get; } =
        ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy"];

    public static bool IsPredefined(string name) => Predefined.Contains(name);

    /// <summary>The values FROM lines and global ARG defaults see: the globals, and predefined ones that were given.</summary>
    public ImmutableDictionary<string, string> GlobalValues() => ValuesOf(Globals);

    /// <summary>
    /// The value of each ARG a stage declared (<paramref name="declared"/>: name → default), plus predefined ones
    /// given with --build-arg; an ARG with no value anywhere is absent.
    /// </summary>
    public ImmutableDictionary<string, string> ValuesOf(ImmutableDictionary<string, string?> declared)
    {
        var values = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var name in declared.Keys.Concat(Predefined))
        {
            if (ValueOf(name, declared) is { } value)
            {
                values[name] = value;
            }
        }
        return values.ToImmutable();
    }

    private string? ValueOf(string name, ImmutableDictionary<string, string?> declared)
    {
        if (Options.TryGetValue(name, out var given) && given is not null)
        {
            return given;
        }
        var defaultValue = declared.GetValueOrDefault(name);
        return defaultValue ?? Globals.GetValueOrDefault(name);
    }
}
