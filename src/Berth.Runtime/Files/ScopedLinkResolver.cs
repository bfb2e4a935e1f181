using Berth.Core.Errors;

namespace Berth.Runtime.Files;

/// <summary>
/// Where a path leads inside a container once every symlink on it is followed, the last one included, with <c>/</c>
/// as the root (moby/sys <c>symlink.FollowSymlinkInScope</c>): <c>..</c> stops at the root, an absolute target starts
/// again from it, and a link to nothing still gives the path it names. Pure text over a link reader, so that the
/// rules can be tested without a filesystem.
/// </summary>
public static class ScopedLinkResolver
{
    /// <summary>Linux gives up after 40 symlinks in one lookup (ELOOP; fs/namei.c MAXSYMLINKS).</summary>
    public const int MaxSymlinks = 40;

    /// <param name="path">An absolute container path.</param>
    /// <param name="readLink">The target when the given absolute path (already resolved up to its last element) is a symlink; null otherwise.</param>
    public static string Resolve(string path, Func<string, string?> readLink)
    {
        ArgumentNullException.ThrowIfNull(readLink);
        var resolved = new List<string>();
        var pending = new Stack<string>(Split(path).Reverse());
        int links = 0;
        while (pending.TryPop(out string? part))
        {
            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            string candidate = "/" + string.Join('/', [.. resolved, part]);
            if (readLink(candidate) is { } target)
            {
                if (++links > MaxSymlinks)
                {
                    throw new BerthException(ErrorKind.InvalidArgument, $"too many levels of symbolic links resolving {path}");
                }

                if (target.StartsWith('/'))
                {
                    resolved.Clear();
                }

                foreach (string next in Split(target).Reverse())
                {
                    pending.Push(next);
                }

                continue;
            }

            resolved.Add(part);
        }

        return "/" + string.Join('/', resolved);
    }

    private static IEnumerable<string> Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
}
