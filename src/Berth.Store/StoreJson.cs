using System.Diagnostics.CodeAnalysis;
using System.Collections.Immutable;
using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Store;

/// <summary>Typed access to JSON values in an <see cref="IStateStore"/>, and compare-and-swap helpers.</summary>
public static class StoreJson
{
    private const string ReflectionJson = "reflection-based JSON; ahead-of-time compiled callers use source-generated JSON instead";

    /// <summary>The value at <paramref name="key"/>, or default if absent.</summary>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public static async Task<T?> GetJsonAsync<T>(this IStateStore store, string key, JsonSerializerOptions options, CancellationToken cancellationToken = default)
    {
        var entry = await store.GetJsonEntryAsync<T>(key, options, cancellationToken).ConfigureAwait(false);
        return entry is null ? default : entry.Value;
    }

    /// <summary>The value at <paramref name="key"/> with its revisions (for <see cref="TryUpdateAsync"/>), or null if absent.</summary>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public static async Task<StoreJsonEntry<T>?> GetJsonEntryAsync<T>(this IStateStore store, string key, JsonSerializerOptions options, CancellationToken cancellationToken = default)
    {
        var entry = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        return entry is null ? null : Decode<T>(entry, options);
    }

    /// <summary>Every value under <paramref name="prefix"/>, in key order.</summary>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public static async Task<ImmutableArray<StoreJsonEntry<T>>> ListJsonAsync<T>(this IStateStore store, string prefix, JsonSerializerOptions options, CancellationToken cancellationToken = default)
    {
        var entries = await store.ListAsync(prefix, cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(entry => Decode<T>(entry, options))];
    }

    /// <summary>Writes <paramref name="value"/> unconditionally; returns the new store revision.</summary>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public static Task<long> PutJsonAsync<T>(this IStateStore store, string key, T value, JsonSerializerOptions options, CancellationToken cancellationToken = default) =>
        store.PutAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, options), cancellationToken);

    /// <summary>Writes <paramref name="value"/> only if <paramref name="key"/> does not exist; false if it does.</summary>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public static Task<bool> TryCreateAsync<T>(this IStateStore store, string key, T value, JsonSerializerOptions options, CancellationToken cancellationToken = default) =>
        store.TryUpdateAsync(key, value, expectedModRevision: 0, options, cancellationToken);

    /// <summary>
    /// Writes <paramref name="value"/> only if <paramref name="key"/>'s mod revision is still
    /// <paramref name="expectedModRevision"/> (0: the key must not exist); false if it changed.
    /// </summary>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public static async Task<bool> TryUpdateAsync<T>(this IStateStore store, string key, T value, long expectedModRevision, JsonSerializerOptions options, CancellationToken cancellationToken = default)
    {
        var transaction = new StoreTransaction
        {
            Compares = [new StoreCompare(key, expectedModRevision)],
            Success = [StoreOperation.Put(key, JsonSerializer.SerializeToUtf8Bytes(value, options))],
        };
        var result = await store.TransactAsync(transaction, cancellationToken).ConfigureAwait(false);
        return result.Succeeded;
    }

    /// <summary>Deletes <paramref name="key"/> only if its mod revision is still <paramref name="expectedModRevision"/>. No JSON: safe for AOT callers.</summary>
    public static async Task<bool> TryDeleteAsync(this IStateStore store, string key, long expectedModRevision, CancellationToken cancellationToken = default)
    {
        var transaction = new StoreTransaction
        {
            Compares = [new StoreCompare(key, expectedModRevision)],
            Success = [StoreOperation.Delete(key)],
        };
        var result = await store.TransactAsync(transaction, cancellationToken).ConfigureAwait(false);
        return result.Succeeded;
    }

    private static StoreJsonEntry<T> Decode<T>(StoreEntry entry, JsonSerializerOptions options)
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(entry.Value.Span, options);
        }
        catch (JsonException ex)
        {
            throw new BerthException(ErrorKind.Internal, $"state store key \"{entry.Key}\" does not hold a valid {typeof(T).Name}: {ex.Message}; delete or repair the key", ex);
        }

        if (value is null)
        {
            throw new BerthException(ErrorKind.Internal, $"state store key \"{entry.Key}\" holds JSON null where a {typeof(T).Name} was expected; delete or repair the key");
        }

        return new StoreJsonEntry<T>(entry.Key, value, entry.CreateRevision, entry.ModRevision, entry.Version);
    }
}
