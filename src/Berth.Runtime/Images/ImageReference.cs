using System.Text.RegularExpressions;
using Berth.Core.Errors;

namespace Berth.Runtime.Images;

/// <summary>
/// A normalised image reference, as distribution/reference's ParseNormalizedNamed makes it:
/// <c>busybox</c> is <c>docker.io/library/busybox:latest</c>; <see cref="FamiliarString"/> gives back
/// what a user would type.
/// </summary>
public sealed partial record ImageReference(string Domain, string Path, string? Tag, string? Digest)
{
    public const string DefaultDomain = "docker.io";
    public const string LegacyDefaultDomain = "index.docker.io";
    public const string OfficialRepositoryPrefix = "library/";
    public const string DefaultTag = "latest";

    /// <summary>Tags are at most 128 characters (distribution/reference regexp.go).</summary>
    private const int MaxTagLength = 128;

    /// <summary>The repository's full name: <c>docker.io/library/busybox</c>.</summary>
    public string Repository => Domain + "/" + Path;

    /// <summary>The canonical string: <c>docker.io/library/busybox:latest</c>.</summary>
    public string FullName => Repository + Suffix;

    /// <summary>The repository as a user writes it: <c>busybox</c>, <c>me/app</c>, <c>127.0.0.1:5000/x</c>.</summary>
    public string FamiliarRepository
    {
        get
        {
            if (Domain != DefaultDomain)
            {
                return Repository;
            }

            if (Path.StartsWith(OfficialRepositoryPrefix, StringComparison.Ordinal)
                && Path.IndexOf('/', OfficialRepositoryPrefix.Length) < 0)
            {
                return Path[OfficialRepositoryPrefix.Length..];
            }

            return Path;
        }
    }

    /// <summary>The reference as a user writes it: <c>busybox:latest</c>.</summary>
    public string FamiliarString => FamiliarRepository + Suffix;

    private string Suffix => (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    public override string ToString() => FamiliarString;

    /// <summary>This reference with another tag (and no digest).</summary>
    public ImageReference WithTag(string tag) => this with { Tag = tag, Digest = null };

    /// <summary>
    /// Parses and normalises <paramref name="text"/>; a reference with neither tag nor digest gets
    /// <c>latest</c>. Throws InvalidArgument for text Docker would call an invalid reference format.
    /// </summary>
    public static ImageReference Parse(string text)
    {
        if (TryParse(text, out var reference, out var problem))
        {
            return reference;
        }

        throw new BerthException(ErrorKind.InvalidArgument, problem);
    }

    public static bool TryParse(string text, out ImageReference reference, out string problem)
    {
        reference = null!;
        if (string.IsNullOrEmpty(text))
        {
            problem = "invalid reference format: the image reference is empty";
            return false;
        }

        if (FullIdRegex().IsMatch(text))
        {
            problem = $"invalid repository name ({text}), cannot specify 64-byte hexadecimal strings";
            return false;
        }

        string name = text;
        string? digest = null;
        int at = name.IndexOf('@');
        if (at >= 0)
        {
            digest = name[(at + 1)..];
            name = name[..at];
            if (!DigestRegex().IsMatch(digest))
            {
                problem = $"invalid reference format: digest \"{digest}\" in \"{text}\" is not algorithm:hex";
                return false;
            }
        }

        string? tag = null;
        int colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/'))
        {
            tag = name[(colon + 1)..];
            name = name[..colon];
            if (tag.Length > MaxTagLength || !TagRegex().IsMatch(tag))
            {
                problem = $"invalid reference format: tag \"{tag}\" in \"{text}\" must match [A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}}";
                return false;
            }
        }

        string domain;
        string path;
        int slash = name.IndexOf('/');
        string first = slash < 0 ? "" : name[..slash];
        if (slash < 0 || (first.IndexOfAny(['.', ':']) < 0 && first != "localhost" && first.ToLowerInvariant() == first))
        {
            domain = DefaultDomain;
            path = name;
        }
        else
        {
            domain = first;
            path = name[(slash + 1)..];
        }

        if (domain == LegacyDefaultDomain)
        {
            domain = DefaultDomain;
        }

        if (domain == DefaultDomain && !path.Contains('/', StringComparison.Ordinal))
        {
            path = OfficialRepositoryPrefix + path;
        }

        if (!DomainRegex().IsMatch(domain))
        {
            problem = $"invalid reference format: registry \"{domain}\" in \"{text}\" is not a host[:port]";
            return false;
        }

        if (path.ToLowerInvariant() != path)
        {
            problem = $"invalid reference format: repository name ({path}) in \"{text}\" must be lowercase";
            return false;
        }

        if (!PathRegex().IsMatch(path))
        {
            problem = $"invalid reference format: \"{text}\" is not a valid image name";
            return false;
        }

        if (tag is null && digest is null)
        {
            tag = DefaultTag;
        }

        reference = new ImageReference(domain, path, tag, digest);
        problem = "";
        return true;
    }

    [GeneratedRegex("^[a-f0-9]{64}$")]
    private static partial Regex FullIdRegex();

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex PathRegex();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*$")]
    private static partial Regex TagRegex();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}$")]
    private static partial Regex DigestRegex();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$")]
    private static partial Regex DomainRegex();
}
