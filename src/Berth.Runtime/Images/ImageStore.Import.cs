using System.Text.Json;

namespace Berth.Runtime.Images;

public sealed partial class ImageStore
{
    /// <summary>
    /// <c>docker import</c>: one rootfs tar (gzip or plain) becomes a one-layer image; <paramref name="changes"/>
    /// (<c>CMD ["sh"]</c>, <c>ENV k=v</c>…) shape its config. Returns the image id (<c>sha256:…</c>).
    /// </summary>
    public Task<string> ImportAsync(
        Stream rootfsTar, string? reference, IReadOnlyList<string> changes, CancellationToken cancellationToken = default) =>
        ImportAsync(rootfsTar, reference, changes, null, cancellationToken);

    /// <summary><c>docker import -m MESSAGE</c>: as above, the message becoming the history comment (else "Imported from -").</summary>
    public async Task<string> ImportAsync(
        Stream rootfsTar, string? reference, IReadOnlyList<string> changes, string? message, CancellationToken cancellationToken = default)
    {
        // Validate everything before reading the body.
        var target = reference is null or "" ? null : ImageReference.Parse(reference);
        var containerConfig = ImportChanges.Apply(new ContainerConfig(), changes);

        string blob = NewTempFile();
        var leases = new List<string>();
        try
        {
            var file = new FileStream(blob, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await rootfsTar.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            var layer = await StoreLayerAsync(blob, leases, cancellationToken).ConfigureAwait(false);
            string created = FormatCreated(DateTimeOffset.UtcNow);
            var config = new ImageConfig
            {
                Architecture = ManifestSelector.CurrentArchitecture,
                Os = "linux",
                Created = created,
                Config = containerConfig,
                RootFs = new RootFs { DiffIds = [layer.DiffId] },
                History = [new HistoryEntry { Created = created, Comment = string.IsNullOrEmpty(message) ? "Imported from -" : message }],
            };
            byte[] configBytes = JsonSerializer.SerializeToUtf8Bytes(config, ImagesJsonContext.Default.ImageConfig);
            return await CommitAsync(configBytes, [(layer.DiffId, layer.Size)], target is null ? [] : [target], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Release(leases);
            TryDelete(blob);
        }
    }
}
