using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Core.Naming;
using Berth.Linux.Filesystems;
using Berth.Runtime.Files;

namespace Berth.Runtime.Build;

/// <summary>
/// One source of a <c>COPY</c>, found: the name it is copied under (its last element as written), where it leads in
/// the source root once every symlink on it — the last one too — is followed within that root (moby resolves sources
/// with <c>FollowSymlinkInScope</c>), and what is there.
/// </summary>
internal sealed record CopySource(string Name, string Path, NodeStatus Status)
{
    /// <summary>The sources of <paramref name="written"/>, patterns expanded (sorted), each resolved in <paramref name="root"/>.</summary>
    public static ImmutableArray<CopySource> Resolve(DirectoryHandle root, ImmutableArray<string> written)
    {
        if (written.IsDefaultOrEmpty)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "no source files were specified");
        }

        var found = ImmutableArray.CreateBuilder<CopySource>();
        foreach (string source in written)
        {
            if (ClimbsOut(source) is { } relative)
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"forbidden path outside the build context: {relative} ()");
            }

            string clean = ContainerPathText.Clean("/" + source);
            string name = ContainerPathText.Base(clean);
            if (!PathPattern.IsPattern(name))
            {
                found.Add(Find(root, clean, name) ?? throw NotFound(source));
                continue;
            }

            // A pattern that matches nothing adds nothing; only a COPY left with no source at all fails (moby copier).
            var pattern = PathPattern.Compile(name);
            string parent = ContainerPathText.Parent(clean);
            using var directory = root.OpenDirectoryInRoot(Follow(root, parent));
            foreach (string child in directory?.Names() ?? [])
            {
                if (pattern.IsMatch(child) && Find(root, parent.TrimEnd('/') + "/" + child, child) is { } match)
                {
                    found.Add(match);
                }
            }
        }

        return found.Count > 0 ? found.ToImmutable() : throw new BerthException(ErrorKind.NotFound, "no source files were specified");
    }

    /// <summary>
    /// The source as moby checks it (one leading <c>/</c> and <c>./</c> dropped) when its <c>..</c>s climb above the root, which
    /// moby refuses rather than clamp; null when it stays inside.
    /// </summary>
    private static string? ClimbsOut(string source)
    {
        string relative = source.Length > 1 && source[0] == '/' ? source[1..] : source;
        relative = relative.StartsWith("./", StringComparison.Ordinal) ? relative[2..] : relative;
        int depth = 0;
        foreach (string part in relative.Split('/'))
        {
            depth += part switch { "" or "." => 0, ".." => -1, _ => 1 };
            if (depth < 0)
            {
                return relative;
            }
        }

        return null;
    }

    private static CopySource? Find(DirectoryHandle root, string path, string name)
    {
        string resolved = Follow(root, path);
        return root.StatusInRoot(resolved, followFinal: false) is { } status ? new CopySource(name == "/" ? "" : name, resolved, status) : null;
    }

    private static string Follow(DirectoryHandle root, string path) =>
        ScopedLinkResolver.Resolve(path, p => root.StatusInRoot(p, followFinal: false) is { IsSymlink: true } ? root.ReadLinkInRoot(p) : null);

    /// <summary>moby's message for a source that is not there.</summary>
    private static BerthException NotFound(string source) =>
        new(ErrorKind.NotFound, $"file not found in build context or excluded by .dockerignore: stat {source}: file does not exist");
}
