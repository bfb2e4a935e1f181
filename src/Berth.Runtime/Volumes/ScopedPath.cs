using Berth.Linux.Filesystems;
using Berth.Runtime.Files;

namespace Berth.Runtime.Volumes;

/// <summary>
/// A path inside a root filesystem, resolved on the host the way the kernel would resolve it inside the
/// container: symlinks (absolute ones included) and <c>..</c> never leave the root. An image whose
/// <c>/data</c> is a symlink to <c>/etc</c> must give the image's /etc, never the host's.
/// </summary>
internal static class ScopedPath
{
    /// <summary>The host path of <paramref name="path"/> inside <paramref name="root"/>; it need not exist.</summary>
    public static string Resolve(string root, string path)
    {
        string trimmed = root.TrimEnd('/');
        string inside = ScopedLinkResolver.Resolve("/" + path.TrimStart('/'), candidate =>
            NodeStatus.Of(trimmed + candidate) is { IsSymlink: true } ? new FileInfo(trimmed + candidate).LinkTarget ?? "" : null);
        return inside == "/" ? trimmed : trimmed + inside;
    }
}
