using System.Collections.Immutable;
using System.Text.Json;

namespace Berth.Fuzzing;

/// <summary>The store's objects as the API lists them: "kind id" for containers, networks, volumes and images.</summary>
public sealed record ApiSnapshot(ImmutableSortedSet<string> Objects)
{
    private static readonly (string Kind, string Path, string? Array, string Key)[] Lists =
    [
        ("container", "/containers/json?all=1", null, "Id"),
        ("network", "/networks", null, "Id"),
        ("volume", "/volumes", "Volumes", "Name"),
        ("image", "/images/json?all=1", null, "Id"),
    ];

    public static async Task<ApiSnapshot> TakeAsync(HttpClient client, CancellationToken cancellationToken = default)
    {
        var objects = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var (kind, path, array, key) in Lists)
        {
            using var json = JsonDocument.Parse(await client.GetStringAsync(path, cancellationToken));
            JsonElement items = array is null ? json.RootElement : json.RootElement.GetProperty(array);
            foreach (JsonElement item in items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : default)
            {
                objects.Add($"{kind} {item.GetProperty(key).GetString()}");
            }
        }

        return new ApiSnapshot(objects.ToImmutable());
    }

    /// <summary>Objects in this snapshot that <paramref name="before"/> did not have.</summary>
    public IReadOnlyList<string> Since(ApiSnapshot before) => [.. Objects.Except(before.Objects)];

    /// <summary>
    /// Removes, through the API, every object made since <paramref name="before"/> (containers first, then networks,
    /// volumes, images); returns what could not be removed, with the daemon's answer.
    /// </summary>
    public async Task<IReadOnlyList<string>> RemoveSinceAsync(HttpClient client, ApiSnapshot before, CancellationToken cancellationToken = default)
    {
        var failed = new List<string>();
        foreach (string entry in Since(before))
        {
            string[] parts = entry.Split(' ', 2);
            string path = parts[0] switch
            {
                "container" => $"/containers/{parts[1]}?force=1&v=1",
                "network" => $"/networks/{parts[1]}",
                "volume" => $"/volumes/{parts[1]}?force=1",
                _ => $"/images/{parts[1]}?force=1",
            };
            using var response = await client.DeleteAsync(path, cancellationToken);
            if (!response.IsSuccessStatusCode && response.StatusCode != System.Net.HttpStatusCode.NotFound)
            {
                failed.Add($"{entry}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        return failed;
    }
}
