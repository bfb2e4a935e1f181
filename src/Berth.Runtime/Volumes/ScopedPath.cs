using Berth.Core.Errors;

namespace Berth.Runtime.Volumes;

/// <summary>
/// A path inside a root filesystem, resolved on the host the way the kernel would resolve it inside the
/// container: symlinks (absolute ones included) and <c>..</c> never leave the root. An image whose
/// <c>/data</c> is a symlink to <c>/etc</c> must give the image's /etc, never the host's.
/// </summary>
internal static class ScopedPath
{
    /// <summary>Linux gives up after 40 symlinks in one lookup (ELOOP; fs/namei.c MAXSYMLINKS).</summary>
    private const int MaxSymlinks = 40;

    /// <summary>The host path of <paramref name="path"/> inside <paramref name="root"/>; it need not exist.</summary>
    public static string Resolve(string root, string path)
    {
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

            string candidate = Join(root, [.. resolved, part]);
            if (FileStatus.Of(candidate) is { Type: FileStatus.Symlink })
            {
                if (++links > MaxSymlinks)
                {
                    throw new BerthException(ErrorKind.InvalidArgument, $"too many levels of symbolic links resolving {path} in the image");
                }

                string target = new FileInfo(candidate).LinkTarget ?? "";
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

        return Join(root, resolved);
    }

    private static IEnumerable<string> Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");

    private static string Join(string root, IEnumerable<string> parts) =>
        parts.Aggregate(root.TrimEnd('/'), (current, part) => current + "/" + part);
}
