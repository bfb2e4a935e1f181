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
            string clean = ContainerPathText.Clean("/" + source);
            string name = ContainerPathText.Base(clean);
            if (!PathPattern.IsPattern(name))
            {
                found.Add(Find(root, clean, name) ?? throw NotFound(source));
                continue;
            }

            var pattern = PathPattern.Compile(name);
            string parent = ContainerPathText.Parent(clean);
            using var directory = root.OpenDirectoryInRoot(Follow(root, parent));
            int before = found.Count;
            foreach (string child in directory?.Names() ?? [])
            {
                if (pattern.IsMatch(child) && Find(root, parent.TrimEnd('/') + "/" + child, child) is { } match)
                {
                    found.Add(match);
                }
            }

            if (found.Count == before)
            {
                throw new BerthException(ErrorKind.NotFound, $"lstat {source}: no source files were specified (the pattern matched no file of the build context)");
            }
        }

        return found.ToImmutable();
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
