using System.Security.Cryptography;
using Berth.Core.Errors;
using Berth.Linux.Interop;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Volumes;

/// <summary>
/// An image's merged content, read-only: an overlay mount of its layer directories with no upper layer,
/// for copy-up. An empty directory below the layers makes a one-layer image a valid overlay too (overlayfs
/// needs two lower layers when there is no upper). It lives under <c>&lt;volumes&gt;/.staging</c>;
/// <see cref="SweepLeftovers"/> removes what a crash left there.
/// </summary>
internal sealed class ImageView : IDisposable
{
    public const string StagingDirectoryName = ".staging";

    /// <summary>mount(2) flag: read-only (linux/fs.h MS_RDONLY).</summary>
    private const ulong MsReadOnly = 1;

    private readonly string _directory;

    private ImageView(string directory, string root)
    {
        _directory = directory;
        Root = root;
    }

    /// <summary>Where the image's <c>/</c> is on the host while this view is mounted.</summary>
    public string Root { get; }

    /// <param name="layers">Layer directories, top first (overlayfs lowerdir order).</param>
    public static ImageView Mount(string volumesRoot, IReadOnlyList<string> layers)
    {
        string directory = Path.Combine(volumesRoot, StagingDirectoryName, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        string empty = Path.Combine(directory, "empty");
        string root = Path.Combine(directory, "root");
        Directory.CreateDirectory(empty);
        Directory.CreateDirectory(root);
        string data = $"lowerdir={string.Join(':', [.. layers, empty])}";
        if (System.Text.Encoding.UTF8.GetByteCount(data) >= RootFilesystem.MaxMountDataBytes)
        {
            Remove(directory);
            throw new BerthException(ErrorKind.InvalidArgument, $"the image has too many or too long layer paths for one overlay mount ({data.Length} bytes of options; the kernel takes less than {RootFilesystem.MaxMountDataBytes})");
        }

        if (Libc.Mount("overlay", root, "overlay", MsReadOnly, data) != 0)
        {
            Errno errno = Libc.LastErrno();
            Remove(directory);
            throw new BerthException(ErrorKind.Internal, $"cannot mount the image's layers read-only on {root} to copy them into a volume ({errno}: {Libc.Describe(errno)})");
        }

        return new ImageView(directory, root);
    }

    /// <summary>Unmounts and removes every view a crashed berthd left under <paramref name="volumesRoot"/>.</summary>
    public static void SweepLeftovers(string volumesRoot)
    {
        string staging = Path.Combine(volumesRoot, StagingDirectoryName);
        if (!Directory.Exists(staging))
        {
            return;
        }

        foreach (string directory in Directory.EnumerateDirectories(staging))
        {
            Remove(directory);
        }
    }

    public void Dispose() => Remove(_directory);

    /// <summary>Only empty directories are removed (never recursively): a mount that did not go keeps its content safe.</summary>
    private static void Remove(string directory)
    {
        string root = Path.Combine(directory, "root");
        if (Libc.Umount2(root, Libc.MNT_DETACH) != 0 && Libc.LastErrno() is not (Errno.EINVAL or Errno.ENOENT))
        {
            return;
        }

        foreach (string path in new[] { root, Path.Combine(directory, "empty"), directory })
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path);
            }
        }
    }
}
