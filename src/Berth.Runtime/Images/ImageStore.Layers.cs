using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Runtime.Images;

public sealed partial class ImageStore
{
    /// <summary>
    /// Unpacks a layer blob file into <c>layers/&lt;diffid&gt;</c> unless that layer is already there,
    /// and leases it until <see cref="CommitAsync"/> (or <see cref="Release"/>).
    /// </summary>
    private async Task<LayerUnpackResult> StoreLayerAsync(string blobFile, List<string> leases, CancellationToken cancellationToken)
    {
        string temp = Path.Join(TempDirectory, "layer-" + Guid.NewGuid().ToString("N"));
        string tempTar = temp + ".tar";
        Directory.CreateDirectory(temp);
        try
        {
            LayerUnpackResult result;
            var blob = File.OpenRead(blobFile);
            var tar = new FileStream(tempTar, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920);
            await using (blob.ConfigureAwait(false))
            await using (tar.ConfigureAwait(false))
            {
                result = await _unpacker.UnpackAsync(blob, temp, tar, cancellationToken).ConfigureAwait(false);
                await tar.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                Lease(result.DiffId, leases);
                string final = LayerDirectory(result.DiffId);
                if (Directory.Exists(final))
                {
                    ImagesLog.LayerShared(_logger, result.DiffId);
                }
                else
                {
                    Directory.Move(temp, final);
                }

                if (!File.Exists(LayerTarPath(result.DiffId)))
                {
                    File.Move(tempTar, LayerTarPath(result.DiffId));
                }
            }
            finally
            {
                _gate.Release();
            }

            return result;
        }
        finally
        {
            TryDelete(temp);
            TryDelete(tempTar);
        }
    }

    /// <summary>Leases a layer the state already has and returns its size; null when it must be unpacked.</summary>
    private async Task<long?> TryReuseLayerAsync(string diffId, List<string> leases, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (State.Layers.TryGetValue(diffId, out long size) && Directory.Exists(LayerDirectory(diffId)))
            {
                Lease(diffId, leases);
                return size;
            }

            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Lease(string diffId, List<string> leases)
    {
        _leases.AddOrUpdate(diffId, 1, (_, n) => n + 1);
        leases.Add(diffId);
    }

    private void Release(List<string> leases)
    {
        foreach (string diffId in leases)
        {
            if (_leases.AddOrUpdate(diffId, 0, (_, n) => n - 1) <= 0)
            {
                _leases.TryRemove(KeyValuePair.Create(diffId, 0));
            }
        }

        leases.Clear();
    }

    /// <summary>
    /// Records an image whose layers are unpacked: the config blob is written, then the state (image,
    /// layers, references) is published in one step. Returns the image id.
    /// </summary>
    private async Task<string> CommitAsync(
        byte[] configBytes, IReadOnlyList<(string DiffId, long Size)> layers, IReadOnlyList<ImageReference> references,
        CancellationToken cancellationToken, string? repoDigest = null)
    {
        var config = JsonSerializer.Deserialize(configBytes, ImagesJsonContext.Default.ImageConfig)
            ?? throw new BerthException(ErrorKind.InvalidArgument, "the image config is empty");
        var diffIds = config.RootFs?.DiffIds ?? [];
        if (!diffIds.SequenceEqual(layers.Select(l => l.DiffId)))
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"the image config lists layers [{string.Join(", ", diffIds)}] but the layers unpacked are [{string.Join(", ", layers.Select(l => l.DiffId))}]; the image is corrupt");
        }

        string id = Digests.Of(configBytes);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string blob = BlobPath(id);
            if (!File.Exists(blob))
            {
                await AtomicFile.WriteAsync(blob, configBytes, cancellationToken).ConfigureAwait(false);
            }

            var state = State;
            var layerMap = state.Layers;
            foreach (var (diffId, size) in layers)
            {
                layerMap = layerMap.SetItem(diffId, size);
            }

            state = state with { Layers = layerMap };
            if (!state.Images.ContainsKey(id))
            {
                state = state with
                {
                    Images = state.Images.Add(id, new ImageRecord(id, [], ParseCreated(config.Created),
                        [.. diffIds], layers.Sum(l => l.Size))),
                };
            }

            foreach (var reference in references)
            {
                state = state.WithReference(id, reference.FullName);
            }

            if (repoDigest is not null && !state.Images[id].RepoDigests.Contains(repoDigest))
            {
                var stored = state.Images[id];
                state = state with { Images = state.Images.SetItem(id, stored with { RepoDigests = stored.RepoDigests.Add(repoDigest) }) };
            }

            await PublishAsync(state, cancellationToken).ConfigureAwait(false);
            ImagesLog.ImageStored(_logger, id, string.Join(", ", references.Select(r => r.FamiliarString)));
            return id;
        }
        finally
        {
            _gate.Release();
        }
    }

    private string NewTempFile() => Path.Join(TempDirectory, "blob-" + Guid.NewGuid().ToString("N"));
}
