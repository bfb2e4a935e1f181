using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Runtime.Images;

public sealed partial class ImageStore
{
    private const string OciLayoutFile = "oci-layout";
    private const string OciLayoutContent = """{"imageLayoutVersion":"1.0.0"}""";
    private const string BlobsDirectory = "blobs/sha256/";

    /// <summary>Mode of every file in a saved archive (rw-r--r--), as docker save writes them.</summary>
    private const UnixFileMode ArchiveFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// <c>docker save</c>: the named images as one archive that is both a <c>docker save</c> tar (manifest.json) and an OCI
    /// image layout (index.json, oci-layout, blobs/sha256), as Docker 25 and later write it. Layers are the uncompressed
    /// tars the store kept, so their digests are the diff ids. Everything is checked before the first byte is written.
    /// </summary>
    public async Task SaveAsync(IReadOnlyList<string> names, Stream output, CancellationToken cancellationToken = default)
    {
        var state = State;
        var images = new List<(ImageRecord Image, List<ImageReference> Tags)>();
        foreach (string name in names)
        {
            var image = Resolve(state, name, out var reference);
            var entry = images.FindIndex(i => i.Image.Id == image.Id);
            if (entry < 0)
            {
                images.Add((image, []));
                entry = images.Count - 1;
            }

            if (reference is not null && reference.Tag is not null && !images[entry].Tags.Contains(reference))
            {
                images[entry].Tags.Add(reference);
            }
        }

        foreach (string diffId in images.SelectMany(i => i.Image.DiffIds).Distinct())
        {
            if (!File.Exists(LayerTarPath(diffId)))
            {
                throw new BerthException(ErrorKind.NotSupported,
                    $"layer {diffId} was stored before Berth kept layer archives, so it cannot be saved; remove the image and pull, load or import it again");
            }
        }

        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            var written = new HashSet<string>(StringComparer.Ordinal);
            await WriteDirectoryAsync(writer, "blobs/", cancellationToken).ConfigureAwait(false);
            await WriteDirectoryAsync(writer, BlobsDirectory, cancellationToken).ConfigureAwait(false);
            var manifestEntries = new List<DockerSaveManifestEntry>();
            var indexEntries = new List<OciDescriptor>();
            foreach (var (image, tags) in images)
            {
                byte[] config = await File.ReadAllBytesAsync(BlobPath(image.Id), cancellationToken).ConfigureAwait(false);
                await WriteBlobAsync(writer, written, image.Id, config, cancellationToken).ConfigureAwait(false);
                var layers = new List<OciDescriptor>();
                foreach (string diffId in image.DiffIds)
                {
                    string tar = LayerTarPath(diffId);
                    layers.Add(new OciDescriptor { MediaType = MediaTypes.OciLayer, Digest = diffId, Size = new FileInfo(tar).Length });
                    if (written.Add(diffId))
                    {
                        await writer.WriteEntryAsync(tar, BlobsDirectory + Digests.Hex(diffId), cancellationToken).ConfigureAwait(false);
                    }
                }

                var manifest = new OciManifest
                {
                    MediaType = MediaTypes.OciManifest,
                    Config = new OciDescriptor { MediaType = MediaTypes.OciConfig, Digest = image.Id, Size = config.Length },
                    Layers = layers,
                };
                byte[] manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ImagesJsonContext.Default.OciManifest);
                string manifestDigest = Digests.Of(manifestBytes);
                await WriteBlobAsync(writer, written, manifestDigest, manifestBytes, cancellationToken).ConfigureAwait(false);
                var descriptor = new OciDescriptor { MediaType = MediaTypes.OciManifest, Digest = manifestDigest, Size = manifestBytes.Length };
                indexEntries.AddRange(tags.Count == 0 ? [descriptor] : tags.Select(t => descriptor with
                {
                    Annotations = new Dictionary<string, string>
                    {
                        [ContainerdImageNameAnnotation] = t.FullName,
                        [OciRefNameAnnotation] = t.Tag!,
                    },
                }));
                manifestEntries.Add(new DockerSaveManifestEntry
                {
                    Config = BlobsDirectory + Digests.Hex(image.Id),
                    RepoTags = tags.Count == 0 ? null : [.. tags.Select(t => t.FamiliarString)],
                    Layers = [.. image.DiffIds.Select(d => BlobsDirectory + Digests.Hex(d))],
                });
            }

            var index = new OciIndex { MediaType = MediaTypes.OciIndex, Manifests = indexEntries };
            await WriteFileAsync(writer, OciIndexFile, JsonSerializer.SerializeToUtf8Bytes(index, ImagesJsonContext.Default.OciIndex), cancellationToken).ConfigureAwait(false);
            await WriteFileAsync(writer, DockerManifestFile,
                JsonSerializer.SerializeToUtf8Bytes(manifestEntries.ToArray(), ImagesJsonContext.Default.DockerSaveManifestEntryArray), cancellationToken).ConfigureAwait(false);
            await WriteFileAsync(writer, OciLayoutFile, Encoding.UTF8.GetBytes(OciLayoutContent), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteBlobAsync(TarWriter writer, HashSet<string> written, string digest, byte[] content, CancellationToken cancellationToken)
    {
        if (written.Add(digest))
        {
            await WriteFileAsync(writer, BlobsDirectory + Digests.Hex(digest), content, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteFileAsync(TarWriter writer, string name, byte[] content, CancellationToken cancellationToken)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = ArchiveFileMode,
            ModificationTime = DateTimeOffset.UnixEpoch,
            DataStream = new MemoryStream(content, writable: false),
        };
        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteDirectoryAsync(TarWriter writer, string name, CancellationToken cancellationToken)
    {
        var entry = new PaxTarEntry(TarEntryType.Directory, name)
        {
            Mode = ArchiveFileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute,
            ModificationTime = DateTimeOffset.UnixEpoch,
        };
        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }
}
