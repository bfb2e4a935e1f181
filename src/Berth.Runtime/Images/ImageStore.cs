using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Core.Errors;
using Berth.Core.Naming;
using Berth.Linux.Namespaces;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Images;

/// <summary>
/// The content-addressed image store under <c>&lt;root&gt;/images/</c>: config blobs in
/// <c>blobs/sha256/</c>, layers unpacked once into <c>layers/&lt;diffid hex&gt;/</c> and shared,
/// and <c>state.json</c> (images, references, layers). Changes are serialised by one gate, the state
/// is replaced whole and written with temp-then-rename; readers see the last published state.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class ImageStore : IDisposable
{
    /// <summary>Layers of one pull downloaded at once.</summary>
    private const int MaxConcurrentLayerDownloads = 3;

    private const string StateFileName = "state.json";

    /// <summary>How long a registry's name lookup and connection may take.</summary>
    private static readonly TimeSpan RegistryConnectTimeout = TimeSpan.FromSeconds(15);

    private readonly string _root;
    private readonly ILogger _logger;
    private readonly LayerUnpacker _unpacker;
    private readonly RegistryClient _registry;
    private readonly HttpClient? _ownedHttp;
    private readonly SemaphoreSlim _gate = new(1, 1);

    // Layers an unfinished import/load/pull has unpacked or reused but not yet committed; removal leaves them alone.
    private readonly ConcurrentDictionary<string, int> _leases = new(StringComparer.Ordinal);
    private ImageStoreState _state;

    /// <summary>
    /// Opens (or creates) the store under <paramref name="root"/>/images; leftovers of a crash are
    /// cleaned. One store per root: the daemon's root lock guarantees no other process uses it.
    /// </summary>
    /// <remarks>With <paramref name="idMapping"/> (berthd's <c>--userns-remap</c>) layers are unpacked owned by the shifted ids.</remarks>
    /// <remarks><paramref name="endpoints"/>: which registries are reached over plain HTTP (berthd's <c>--insecure-registry</c>).</remarks>
    public ImageStore(string root, ILogger<ImageStore> logger, HttpClient? http = null, IdentityMapping? idMapping = null, RegistryEndpoint? endpoints = null)
    {
        Endpoints = endpoints ?? RegistryEndpoint.Default;
        _root = Path.Join(root, "images");
        _logger = logger;
        _unpacker = new LayerUnpacker(logger, idMapping);
        if (http is null)
        {
            // A registry that cannot be reached (its name does not resolve, nothing answers) is given up on as dockerd's
            // registry dialer does, not after HttpClient's 100 s.
            _ownedHttp = new HttpClient(new SocketsHttpHandler { ConnectTimeout = RegistryConnectTimeout });
            http = _ownedHttp;
        }

        _registry = new RegistryClient(http, logger, Endpoints);
        Directory.CreateDirectory(BlobDirectory);
        Directory.CreateDirectory(LayersDirectory);
        Directory.CreateDirectory(LayerTarsDirectory);
        if (Directory.Exists(TempDirectory))
        {
            Directory.Delete(TempDirectory, recursive: true);
        }

        Directory.CreateDirectory(TempDirectory);
        _state = ReadState();
        RemoveOrphans();
    }

    /// <summary>How registries are reached (what <c>docker info</c> lists as insecure).</summary>
    public RegistryEndpoint Endpoints { get; }

    /// <summary>The last published state.</summary>
    public ImageStoreState State => Volatile.Read(ref _state);

    private string BlobDirectory => Path.Join(_root, "blobs", "sha256");

    private string LayersDirectory => Path.Join(_root, "layers");

    private string TempDirectory => Path.Join(_root, "tmp");

    private string LayerTarsDirectory => Path.Join(_root, "tars");

    /// <summary>The directory holding a layer's unpacked tree (an overlayfs lowerdir).</summary>
    public string LayerDirectory(string diffId) => Path.Join(LayersDirectory, Digests.Hex(diffId));

    /// <summary>A layer's uncompressed tar as it arrived (its sha256 is the diff id), kept for <c>docker save</c>.</summary>
    public string LayerTarPath(string diffId) => Path.Join(LayerTarsDirectory, Digests.Hex(diffId));

    public string BlobPath(string digest) => Path.Join(BlobDirectory, Digests.Hex(digest));

    /// <summary>All images, newest first, with references in the familiar form.</summary>
    public IReadOnlyList<ImageSummary> List() =>
        [.. State.Images.Values
            .OrderByDescending(i => i.Created)
            .Select(i => new ImageSummary(i.Id, Familiar(i.References), i.Created, i.Size))];

    /// <summary>An image by reference, full id or id prefix; NotFound says <c>No such image: foo:latest</c>.</summary>
    public ImageDetails Inspect(string nameOrId)
    {
        var image = Resolve(State, nameOrId, out _);
        var config = JsonSerializer.Deserialize(File.ReadAllBytes(BlobPath(image.Id)), ImagesJsonContext.Default.ImageConfig)
            ?? throw new BerthException(ErrorKind.Internal, $"image {image.Id}: its config blob is empty; remove and pull the image again");
        return new ImageDetails(image.Id, Familiar(image.References), image.Created, image.Size, config,
            [.. image.DiffIds.Select(LayerDirectory)])
        {
            RepoDigests = Familiar(image.RepoDigests),
        };
    }

    /// <summary>Whether <paramref name="nameOrId"/> names an image here (a reference with a digest: one pulled with that digest).</summary>
    public bool Has(string nameOrId)
    {
        try
        {
            Resolve(State, nameOrId, out _);
            return true;
        }
        catch (BerthException)
        {
            // Not found, not a reference, or an ambiguous id prefix: not an image this name certainly names.
            return false;
        }
    }

    /// <summary>Points <paramref name="reference"/> at the image <paramref name="source"/> names.</summary>
    public async Task TagAsync(string source, string reference, CancellationToken cancellationToken = default)
    {
        var target = ImageReference.Parse(reference);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = State;
            var image = Resolve(state, source, out _);
            await PublishAsync(state.WithReference(image.Id, target.FullName), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _gate.Dispose();
        _ownedHttp?.Dispose();
    }

    private static List<string> Familiar(IEnumerable<string> references) =>
        [.. references.Select(r => ImageReference.Parse(r).FamiliarString)];

    /// <summary>Finds an image as Docker does: a reference first, then an id or id prefix.</summary>
    private static ImageRecord Resolve(ImageStoreState state, string nameOrId, out ImageReference? reference)
    {
        reference = null;
        if (!nameOrId.StartsWith(Digests.Sha256Prefix, StringComparison.Ordinal) && ImageReference.TryParse(nameOrId, out var parsed, out _))
        {
            reference = parsed;
        }

        var byReference = reference is null ? null : state.Find(reference);
        var resolution = ObjectResolver.Resolve(ObjectKind.Image, nameOrId, state.Images.Values, i => i.Id, (i, _) => byReference is not null && i.Id == byReference.Id);
        var image = resolution.GetOrThrow(reference?.FamiliarString ?? nameOrId);
        if (resolution.By != MatchedBy.Name)
        {
            reference = null;
        }

        return image;
    }

    private ImageStoreState ReadState()
    {
        string path = Path.Join(_root, StateFileName);
        if (!File.Exists(path))
        {
            return ImageStoreState.Empty;
        }

        return JsonSerializer.Deserialize(File.ReadAllBytes(path), ImagesJsonContext.Default.ImageStoreState)
            ?? ImageStoreState.Empty;
    }

    private async Task PublishAsync(ImageStoreState state, CancellationToken cancellationToken)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(state, ImagesJsonContext.Default.ImageStoreState);
        await AtomicFile.WriteAsync(Path.Join(_root, StateFileName), json, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _state, state);
    }

    /// <summary>Layer directories a crash left behind without a state entry (unpacked, never committed).</summary>
    private void RemoveOrphans()
    {
        var known = State.Layers.Keys.Select(Digests.Hex).ToHashSet(StringComparer.Ordinal);
        foreach (string dir in Directory.EnumerateDirectories(LayersDirectory))
        {
            if (!known.Contains(Path.GetFileName(dir)))
            {
                TryDelete(dir);
            }
        }

        foreach (string tar in Directory.EnumerateFiles(LayerTarsDirectory))
        {
            if (!known.Contains(Path.GetFileName(tar)))
            {
                TryDelete(tar);
            }
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ImagesLog.CleanupFailed(_logger, path, ex);
        }
    }

    /// <summary>Parses an RFC 3339 time with up to nine fractional digits (Go writes nanoseconds).</summary>
    internal static DateTimeOffset ParseCreated(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return DateTimeOffset.UnixEpoch;
        }

        string trimmed = FractionRegex().Replace(text, m => m.Value.Length > 8 ? m.Value[..8] : m.Value);
        return DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : DateTimeOffset.UnixEpoch;
    }

    internal static string FormatCreated(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\.[0-9]+")]
    private static partial Regex FractionRegex();
}
