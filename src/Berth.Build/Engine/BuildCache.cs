using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Runtime.Images;

namespace Berth.Build.Engine;

/// <summary>
/// The classic builder's cache: a step is a hit when an image exists whose parent is the step's parent and whose
/// history entry is the step's <c>created_by</c> (for COPY/ADD that text carries the sources' content checksum). The
/// index (sha256 of parent, text and the step's config flags → image id) lives in one JSON file beside the build
/// workspace, so a lookup is one dictionary read; an entry whose image was removed is a miss. Lost or damaged, the
/// index only costs rebuilds.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BuildCache(string indexPath, ImageStore images)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ImmutableDictionary<string, string>? _entries;

    public static string KeyOf(string? parentId, string createdBy, string flags = "")
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes((parentId ?? "scratch") + "\n" + createdBy + "\n" + flags));
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The cached image for <paramref name="key"/> if it is still in the store.</summary>
    public string? Find(string key)
    {
        var entries = Entries();
        return entries.TryGetValue(key, out var id) && images.State.Images.ContainsKey(id) ? id : null;
    }

    public async Task RecordAsync(string key, string imageId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var entries = Entries().SetItem(key, imageId);
            // Entries of removed images are dropped as the index is rewritten, so it never outgrows the store.
            entries = entries.RemoveRange(entries.Where(e => !images.State.Images.ContainsKey(e.Value)).Select(e => e.Key));
            Volatile.Write(ref _entries, entries);
            string temp = indexPath + ".tmp";
            Directory.CreateDirectory(Path.GetDirectoryName(indexPath)!);
            await File.WriteAllBytesAsync(temp, JsonSerializer.SerializeToUtf8Bytes(entries.ToDictionary(), BuildCacheJsonContext.Default.DictionaryStringString), cancellationToken).ConfigureAwait(false);
            File.Move(temp, indexPath, overwrite: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    private ImmutableDictionary<string, string> Entries()
    {
        if (Volatile.Read(ref _entries) is { } loaded)
        {
            return loaded;
        }

        ImmutableDictionary<string, string> read = ImmutableDictionary<string, string>.Empty;
        try
        {
            if (File.Exists(indexPath))
            {
                read = (JsonSerializer.Deserialize(File.ReadAllBytes(indexPath), BuildCacheJsonContext.Default.DictionaryStringString) ?? []).ToImmutableDictionary(StringComparer.Ordinal);
            }
        }
        catch (JsonException)
        {
            // A damaged index is an empty cache.
        }

        Interlocked.CompareExchange(ref _entries, read, null);
        return _entries!;
    }
}
