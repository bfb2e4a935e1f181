using Berth.Linux.Filesystems;
using Berth.Runtime.Files;

namespace Berth.Runtime.Build;

/// <summary>
/// A build context the client sent as a tar (<c>POST /build</c>'s body), unpacked into a fresh directory of its own
/// with the extraction <c>docker cp</c> uses: every entry resolved with the directory as <c>/</c> (<c>openat2</c>
/// RESOLVE_IN_ROOT), names and links climbing out refused. Disposing removes the directory. Contexts live beside the
/// workspace's snapshots, never among them (the snapshot sweep removes every unlocked directory it finds).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BuildContextDirectory : IDisposable
{
    /// <summary>Only berthd reads a context before its files are copied into a snapshot.</summary>
    private const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private BuildContextDirectory(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Unpacks <paramref name="tar"/> into a new directory under <paramref name="parent"/>.</summary>
    public static async Task<BuildContextDirectory> ExtractAsync(string parent, Stream tar, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tar);
        Directory.CreateDirectory(parent);
        string path = System.IO.Path.Combine(parent, "context-" + Guid.NewGuid().ToString("N"));
        var context = new BuildContextDirectory(Directory.CreateDirectory(path, PrivateDirectoryMode).FullName);
        try
        {
            using var root = DirectoryHandle.Open(context.Path);
            using var extractor = new TreeExtractor(root, "/");
            await extractor.ExtractAsync(tar, cancellationToken).ConfigureAwait(false);
            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>Removes the contexts a crashed daemon left under <paramref name="parent"/> (call before any build starts).</summary>
    public static void Sweep(string parent)
    {
        if (Directory.Exists(parent))
        {
            foreach (string leftover in Directory.GetDirectories(parent, "context-*"))
            {
                BuildSnapshot.Remove(leftover);
            }
        }
    }

    public void Dispose() => BuildSnapshot.Remove(Path);
}
