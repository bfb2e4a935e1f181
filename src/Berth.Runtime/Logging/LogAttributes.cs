using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Berth.Runtime.Logging;

/// <summary>
/// The <c>attrs</c> a driver writes on each record (moby <c>logger.Info.ExtraAttributes</c> and <c>ParseLogTag</c>):
/// the container's labels named by <c>labels</c> (comma-separated) or matching <c>labels-regex</c>, its environment
/// variables named by <c>env</c> or matching <c>env-regex</c>, and <c>tag</c> with its template fields filled in.
/// </summary>
public static class LogAttributes
{
    /// <summary>How long a regex option may take on one name before it is given up (a user's pattern).</summary>
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    /// <param name="tagFields">The tag template's fields by name (<c>ID</c>, <c>FullID</c>, <c>Name</c>, <c>ImageID</c>, <c>ImageFullID</c>, <c>ImageName</c>, <c>DaemonName</c>).</param>
    public static ImmutableSortedDictionary<string, string> Of(LogConfig config, IReadOnlyDictionary<string, string> labels, IEnumerable<string> env, IReadOnlyDictionary<string, string> tagFields)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(tagFields);
        var options = config.Options;
        var attrs = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        Select(labels, options.GetValueOrDefault("labels"), options.GetValueOrDefault("labels-regex"), attrs);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in env)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                variables[pair[..equals]] = pair[(equals + 1)..];
            }
        }

        Select(variables, options.GetValueOrDefault("env"), options.GetValueOrDefault("env-regex"), attrs);
        if (options.GetValueOrDefault("tag") is { Length: > 0 } tag)
        {
            attrs["tag"] = Tag(tag, tagFields);
        }

        return attrs.ToImmutable();
    }

    /// <summary>The tag template with <c>{{.Field}}</c> replaced; other text (and unknown fields) stays as written.</summary>
    public static string Tag(string template, IReadOnlyDictionary<string, string> fields) =>
        Regex.Replace(template, @"\{\{\s*\.(\w+)\s*\}\}", m => fields.TryGetValue(m.Groups[1].Value, out string? value) ? value : m.Value, RegexOptions.CultureInvariant, RegexTimeout);

    private static void Select(IReadOnlyDictionary<string, string> source, string? names, string? pattern, ImmutableSortedDictionary<string, string>.Builder attrs)
    {
        foreach (string name in (names ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (source.TryGetValue(name, out string? value))
            {
                attrs[name] = value;
            }
        }

        if (pattern is { Length: > 0 })
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout);
            foreach (var (name, value) in source.Where(p => regex.IsMatch(p.Key)))
            {
                attrs[name] = value;
            }
        }
    }
}
