using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Berth.Linux.Filesystems;
using Berth.Runtime.Files;

namespace Berth.Runtime.Build;

/// <summary>
/// The checksum a <c>COPY</c>/<c>ADD</c> is cached by (moby's classic builder keys it by a tarsum-like hash of the
/// sources): SHA-256 over each entry's path relative to its source, type, permission bits, symlink target and content
/// (SHA-256), plus the owners where they are copied as they are (<c>COPY --from</c>) and the step's
/// <c>--chown</c>/<c>--chmod</c>/extraction, which shape the result too. Modification times are left out (a fresh
/// checkout must hit the cache), and entries are taken in ordinal name order, so disk order does not matter either.
/// A heredoc source (<see cref="BuildCopySpec.Contents"/>) is an entry of its name, a regular file of mode 0644 with its
/// text as content, after the path sources. One source gives <c>file:HEX</c> or <c>dir:HEX</c>, several
/// <c>multi:HEX</c> over theirs.
/// </summary>
internal static class ContentChecksum
{
    /// <summary>A heredoc source's permission bits as an entry line shows them (octal; the file is made 0644).</summary>
    private const string InlineMode = "644";

    public static async Task<string> ComputeAsync(DirectoryHandle root, ImmutableArray<CopySource> sources, BuildCopySpec copy, bool withOwners, CancellationToken cancellationToken)
    {
        var sums = new List<string>();
        foreach (var source in sources)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Append(hash, Options(copy));
            if (source.Status.IsDirectory)
            {
                using var directory = root.OpenDirectoryInRoot(source.Path, followFinal: false);
                if (directory is not null)
                {
                    await AddChildrenAsync(hash, directory, "", withOwners, cancellationToken).ConfigureAwait(false);
                }

                sums.Add("dir:" + Convert.ToHexStringLower(hash.GetHashAndReset()));
            }
            else
            {
                using var parent = root.OpenDirectoryInRoot(ContainerPathText.Parent(source.Path), followFinal: false);
                if (parent is not null)
                {
                    await AddEntryAsync(hash, parent, ContainerPathText.Base(source.Path), source.Name, withOwners, cancellationToken).ConfigureAwait(false);
                }

                sums.Add("file:" + Convert.ToHexStringLower(hash.GetHashAndReset()));
            }
        }

        foreach (var inline in copy.Contents)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Append(hash, Options(copy));
            Append(hash, string.Create(CultureInfo.InvariantCulture, $"{inline.Name}\0{NodeStatus.Regular:x}\0{InlineMode}\0\0\0{Convert.ToHexStringLower(SHA256.HashData(inline.Bytes()))}\n"));
            sums.Add("file:" + Convert.ToHexStringLower(hash.GetHashAndReset()));
        }

        return sums.Count == 1
            ? sums[0]
            : "multi:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', sums))));
    }

    private static async Task AddChildrenAsync(IncrementalHash hash, DirectoryHandle directory, string prefix, bool withOwners, CancellationToken cancellationToken)
    {
        foreach (string name in directory.Names())
        {
            await AddEntryAsync(hash, directory, name, prefix + name, withOwners, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task AddEntryAsync(IncrementalHash hash, DirectoryHandle parent, string name, string relative, bool withOwners, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (parent.StatusOf(name) is not { } status)
        {
            return;
        }

        string owner = withOwners ? string.Create(CultureInfo.InvariantCulture, $"{status.Uid}:{status.Gid}") : "";
        string link = status.IsSymlink ? parent.ReadLink(name) : "";
        string content = "";
        if (status.IsRegular)
        {
            using var handle = parent.OpenRegularFile(name);
            if (handle is not null)
            {
                var file = new FileStream(handle, FileAccess.Read, bufferSize: 0);
                await using (file.ConfigureAwait(false))
                {
                    content = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
                }
            }
        }

        Append(hash, string.Create(CultureInfo.InvariantCulture, $"{relative}\0{status.Type:x}\0{Convert.ToString(status.Permissions, 8)}\0{owner}\0{link}\0{content}\n"));
        if (status.IsDirectory)
        {
            using var directory = parent.OpenDirectory(name);
            if (directory is not null)
            {
                await AddChildrenAsync(hash, directory, relative + "/", withOwners, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string Options(BuildCopySpec copy) => $"options\0{copy.Chown}\0{copy.Chmod}\0{copy.ExtractArchives}\n";

    private static void Append(IncrementalHash hash, string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
}
