namespace Berth.Cli.Commands.Containers;

/// <summary>
/// docker's normalised image names: <c>bb</c> is <c>docker.io/library/bb:latest</c>, <c>me/app</c> is <c>docker.io/me/app</c>, a first
/// part with a dot or a port, or <c>localhost</c>, is a registry. <see cref="Familiar"/> is what docker shows (<c>bb:latest</c>).
/// </summary>
public sealed record ImageReference(string Repository, string? Tag, string? Digest)
{
    private const string DefaultRegistry = "docker.io";
    private const string OfficialNamespace = "library/";
    private const string DefaultTag = "latest";

    public string TagOrDigest => Digest ?? Tag ?? DefaultTag;

    /// <summary>The registry the image comes from: <c>docker.io</c>, <c>127.0.0.1:5000</c>.</summary>
    public string Domain => Repository[..Repository.IndexOf('/', StringComparison.Ordinal)];

    /// <summary>The short form with the tag docker adds (<c>TagNameOnly</c>): <c>bb:latest</c>.</summary>
    public string Familiar
    {
        get
        {
            var name = Repository.StartsWith(DefaultRegistry + "/" + OfficialNamespace, StringComparison.Ordinal)
                ? Repository[(DefaultRegistry.Length + 1 + OfficialNamespace.Length)..]
                : Repository.StartsWith(DefaultRegistry + "/", StringComparison.Ordinal) ? Repository[(DefaultRegistry.Length + 1)..] : Repository;
            return Digest is not null ? name + "@" + Digest : name + ":" + (Tag ?? DefaultTag);
        }
    }

    public static ImageReference Parse(string image)
    {
        string? digest = null;
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = image;
        if (at >= 0)
        {
            digest = image[(at + 1)..];
            name = image[..at];
        }

        string? tag = null;
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/'))
        {
            tag = name[(colon + 1)..];
            name = name[..colon];
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? "" : name[..slash];
        var hasRegistry = slash >= 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost");
        if (!hasRegistry)
        {
            name = DefaultRegistry + "/" + (slash < 0 ? OfficialNamespace : "") + name;
        }

        return new ImageReference(name, tag, digest);
    }
}
