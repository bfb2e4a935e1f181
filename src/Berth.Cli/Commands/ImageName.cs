namespace Berth.Cli.Commands;

/// <summary>Image references as the CLI splits them: <c>127.0.0.1:5000/bb:v1</c> is repository, tag, digest.</summary>
public static class ImageName
{
    private const string DefaultDomain = "docker.io";
    private const string OfficialPrefix = "library/";

    public static (string Repository, string? Tag, string? Digest) Split(string reference)
    {
        string? digest = null;
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = reference[(at + 1)..];
            reference = reference[..at];
        }

        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? (reference[..colon], reference[(colon + 1)..], digest) : (reference, null, digest);
    }

    /// <summary>The name docker prints after a pull: <c>docker.io/library/bb</c> for Docker Hub names, others as given.</summary>
    public static string Canonical(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? "" : repository[..slash];
        var hasDomain = first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost";
        if (hasDomain)
        {
            return repository;
        }

        return DefaultDomain + "/" + (slash < 0 ? OfficialPrefix + repository : repository);
    }
}
