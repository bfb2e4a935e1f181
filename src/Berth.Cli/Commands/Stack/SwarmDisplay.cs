using System.Globalization;

namespace Berth.Cli.Commands.Stack;

/// <summary>docker's ways of showing swarm objects: an image as its familiar <c>name:tag</c>, a state with its first letter capitalised.</summary>
public static class SwarmDisplay
{
    private static readonly string[] DefaultRegistryPrefixes = ["docker.io/library/", "docker.io/", "index.docker.io/library/", "index.docker.io/"];

    /// <summary>
    /// A tagged image without its digest and default registry (<c>docker.io/library/nginx:alpine@sha256:…</c> → <c>nginx:alpine</c>);
    /// an untagged one as it is, as docker's formatters show them.
    /// </summary>
    public static string FamiliarTagged(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var named = at < 0 ? image : image[..at];
        var slash = named.LastIndexOf('/');
        if (named.IndexOf(':', slash + 1) < 0)
        {
            return image;
        }

        var prefix = DefaultRegistryPrefixes.FirstOrDefault(p => named.StartsWith(p, StringComparison.Ordinal));
        return prefix is null ? named : named[prefix.Length..];
    }

    /// <summary>docker's <c>formatter.PrettyPrint</c>: <c>running</c> → <c>Running</c>.</summary>
    public static string Pretty(string? text) => string.IsNullOrEmpty(text) ? "" : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>A Go time of the API (RFC 3339 with nanoseconds) as an instant.</summary>
    public static DateTimeOffset ParseTime(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            // .NET takes at most seven fraction digits; Go writes up to nine.
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            text = text[..Math.Min(end, dot + 8)] + text[end..];
        }

        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }
}
