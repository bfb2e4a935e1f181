using System.Formats.Tar;
using Berth.Linux.Filesystems;
using Berth.Linux.Namespaces;

namespace Berth.Runtime.Files;

/// <summary>
/// An overlay upper directory written as an OCI layer tar: whiteouts and opaque directories as OCI writes them, the
/// runtime's own mount points (<see cref="InitPaths"/>) left out, and so is a directory above them (<c>/etc</c>) that
/// holds nothing else: the runtime copied it up only to make them, where moby makes them in an init layer below the
/// container's. (A chmod of such a directory alone is lost with it.) <c>docker commit</c> and every build step that
/// changes files make their layer this way.
/// </summary>
internal static class UpperLayerArchive
{
    /// <summary>
    /// Writes <paramref name="upper"/>'s tree to <paramref name="stream"/>; returns the entries written (0: an empty layer). Owners are
    /// the container's ids (<paramref name="idMapping"/> shifted back) so that the layer unpacks anywhere.
    /// </summary>
    public static async Task<int> WriteAsync(string upper, Stream stream, IdentityMapping? idMapping, CancellationToken cancellationToken)
    {
        var writer = new TarWriter(stream, TarEntryFormat.Gnu, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            if (!Directory.Exists(upper))
            {
                return 0;
            }

            using var root = DirectoryHandle.Open(upper);
            var archiver = new TreeArchiver(writer)
            {
                LayerFormat = true,
                IdMapping = idMapping,
                Skip = name => InitPaths.Contains("/" + name),
                OnlyWithContent = name => InitPaths.IsAncestor("/" + name),
            };
            await archiver.WriteChildrenAsync(root, "", cancellationToken).ConfigureAwait(false);
            return archiver.Entries;
        }
    }
}
