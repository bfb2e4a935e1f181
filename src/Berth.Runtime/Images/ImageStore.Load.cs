using System.Formats.Tar;
using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Runtime.Images;

public sealed partial class ImageStore
{
    private const string DockerManifestFile = "manifest.json";
    private const string OciIndexFile = "index.json";
    private const string OciRefNameAnnotation = "org.opencontainers.image.ref.name";
    private const string ContainerdImageNameAnnotation = "io.containerd.image.name";

    /// <summary>
    /// <c>docker load</c>: a <c>docker save</c> archive (manifest.json) or an OCI image-layout archive
    /// (index.json, blobs/sha256). Returns what was loaded: familiar references, or the id of an
    /// untagged image.
    /// </summary>
    public async Task<IReadOnlyList<string>> LoadAsync(Stream archive, CancellationToken cancellationToken = default)
    {
        string dir = Path.Join(TempDirectory, "load-" + Guid.NewGuid().ToString("N"));
        var leases = new List<string>();
        try
        {
            await ExtractArchiveAsync(archive, dir, cancellationToken).ConfigureAwait(false);
            if (File.Exists(Path.Join(dir, DockerManifestFile)))
            {
                return await LoadDockerSaveAsync(dir, leases, cancellationToken).ConfigureAwait(false);
            }

            if (File.Exists(Path.Join(dir, OciIndexFile)))
            {
                return await LoadOciLayoutAsync(dir, leases, cancellationToken).ConfigureAwait(false);
            }

            throw new BerthException(ErrorKind.InvalidArgument,
                "the archive has neither manifest.json nor index.json; load takes the output of docker save or an OCI image layout tar");
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or JsonException)
        {
            await DiscardUncommittedAsync(leases).ConfigureAwait(false);
            throw new BerthException(ErrorKind.InvalidArgument,
                $"the archive is not a valid docker save or OCI layout tar ({e.Message}); nothing was loaded from the failing image", e);
        }
        catch (Exception)
        {
            await DiscardUncommittedAsync(leases).ConfigureAwait(false);
            throw;
        }
        finally
        {
            Release(leases);
            TryDelete(dir);
        }
    }

    /// <summary>
    /// After a failed load: layers it unpacked that no committed image uses and no other import/load/pull holds are deleted
    /// at once, rather than left as orphans until the next start.
    /// </summary>
    private async Task DiscardUncommittedAsync(List<string> leases)
    {
        var mine = leases.Distinct().ToList();
        Release(leases);
        var doomed = new List<string>();
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            foreach (string diffId in mine.Where(d => !State.Layers.ContainsKey(d) && !_leases.ContainsKey(d)))
            {
                MoveAway(diffId, doomed);
            }
        }
        finally
        {
            _gate.Release();
        }

        foreach (string path in doomed)
        {
            TryDelete(path);
        }
    }

    private async Task<IReadOnlyList<string>> LoadDockerSaveAsync(string dir, List<string> leases, CancellationToken cancellationToken)
    {
        var entries = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(Path.Join(dir, DockerManifestFile), cancellationToken).ConfigureAwait(false),
            ImagesJsonContext.Default.DockerSaveManifestEntryArray) ?? [];
        var loaded = new List<string>();
        foreach (var entry in entries)
        {
            var references = (entry.RepoTags ?? []).Select(ImageReference.Parse).ToList();
            byte[] configBytes = await File.ReadAllBytesAsync(ArchivePath(dir, entry.Config), cancellationToken).ConfigureAwait(false);
            var layers = new List<(string, long)>();
            foreach (string layer in entry.Layers)
            {
                var result = await StoreLayerAsync(ArchivePath(dir, layer), leases, cancellationToken).ConfigureAwait(false);
                layers.Add((result.DiffId, result.Size));
            }

            string id = await CommitAsync(configBytes, layers, references, cancellationToken).ConfigureAwait(false);
            loaded.AddRange(references.Count > 0 ? references.Select(r => r.FamiliarString) : [id]);
        }

        return loaded;
    }

    private async Task<IReadOnlyList<string>> LoadOciLayoutAsync(string dir, List<string> leases, CancellationToken cancellationToken)
    {
        var index = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(Path.Join(dir, OciIndexFile), cancellationToken).ConfigureAwait(false),
            ImagesJsonContext.Default.OciIndex) ?? new OciIndex();
        var loaded = new List<string>();
        foreach (var descriptor in index.Manifests)
        {
            var manifestDescriptor = descriptor;
            if (MediaTypes.IsIndex(descriptor.MediaType))
            {
                var nested = JsonSerializer.Deserialize(await ReadVerifiedBlobAsync(dir, descriptor.Digest, cancellationToken).ConfigureAwait(false),
                    ImagesJsonContext.Default.OciIndex) ?? new OciIndex();
                manifestDescriptor = ManifestSelector.Select(nested, $"index {descriptor.Digest} of the archive");
            }

            var manifest = JsonSerializer.Deserialize(await ReadVerifiedBlobAsync(dir, manifestDescriptor.Digest, cancellationToken).ConfigureAwait(false),
                ImagesJsonContext.Default.OciManifest) ?? new OciManifest();
            byte[] configBytes = await ReadVerifiedBlobAsync(dir, manifest.Config.Digest, cancellationToken).ConfigureAwait(false);
            var layers = new List<(string, long)>();
            foreach (var layer in manifest.Layers)
            {
                string path = Path.Join(dir, "blobs", "sha256", Digests.Hex(layer.Digest));
                string actual = await Digests.OfFileAsync(path, cancellationToken).ConfigureAwait(false);
                if (actual != layer.Digest)
                {
                    throw new BerthException(ErrorKind.InvalidArgument, $"layer blob {layer.Digest} in the archive has digest {actual}; the archive is corrupt");
                }

                var result = await StoreLayerAsync(path, leases, cancellationToken).ConfigureAwait(false);
                layers.Add((result.DiffId, result.Size));
            }

            var references = new List<ImageReference>();
            if (OciReferenceName(descriptor) is { } name)
            {
                references.Add(ImageReference.Parse(name));
            }

            string id = await CommitAsync(configBytes, layers, references, cancellationToken).ConfigureAwait(false);
            loaded.AddRange(references.Count > 0 ? references.Select(r => r.FamiliarString) : [id]);
        }

        return loaded;
    }

    /// <summary>The full name of an index entry: containerd's annotation, or a ref.name that is itself a reference (a bare tag names no repository).</summary>
    private static string? OciReferenceName(OciDescriptor descriptor)
    {
        var annotations = descriptor.Annotations;
        if (annotations is null)
        {
            return null;
        }

        if (annotations.TryGetValue(ContainerdImageNameAnnotation, out var full))
        {
            return full;
        }

        return annotations.TryGetValue(OciRefNameAnnotation, out var refName) && refName.Contains(':', StringComparison.Ordinal)
            && ImageReference.TryParse(refName, out _, out _) ? refName : null;
    }

    private static async Task<byte[]> ReadVerifiedBlobAsync(string dir, string digest, CancellationToken cancellationToken)
    {
        string path = Path.Join(dir, "blobs", "sha256", Digests.Hex(digest));
        if (!File.Exists(path))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"blob {digest} is missing from the archive; the OCI layout is incomplete");
        }

        byte[] bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        if (Digests.Of(bytes) != digest)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"blob {digest} in the archive does not match its digest; the archive is corrupt");
        }

        return bytes;
    }

    private static string ArchivePath(string dir, string name)
    {
        string path = Path.Join(dir, LayerPath.Normalize(name));
        if (!File.Exists(path))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"\"{name}\" named by manifest.json is missing from the archive");
        }

        return path;
    }

    /// <summary>Extracts the archive's regular files (symlinked duplicates are copied); names are checked like layer entries.</summary>
    private static async Task ExtractArchiveAsync(Stream archive, string dir, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dir);
        var links = new List<(string Path, string Target)>();
        var reader = new TarReader(archive, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                string name = LayerPath.Normalize(entry.Name);
                if (name.Length == 0)
                {
                    continue;
                }

                string path = Path.Join(dir, name);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(path);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
                        await using (file.ConfigureAwait(false))
                        {
                            if (entry.DataStream is { } data)
                            {
                                await data.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                            }
                        }

                        break;
                    case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                        string parent = Path.GetDirectoryName(name) ?? "";
                        string target = entry.EntryType == TarEntryType.HardLink ? entry.LinkName : Path.Join(parent, entry.LinkName);
                        links.Add((path, Path.Join(dir, LayerPath.Normalize(target))));
                        break;
                }
            }
        }

        foreach (var (path, target) in links)
        {
            if (File.Exists(target))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.Copy(target, path, overwrite: true);
            }
        }
    }
}
