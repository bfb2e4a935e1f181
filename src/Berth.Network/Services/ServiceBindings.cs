using System.Text.Json;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Persistence;
using Berth.Store;

namespace Berth.Network.Services;

/// <summary>
/// The service bindings in the cluster store: <c>net/services/&lt;network id&gt;/&lt;service id&gt;</c> → a
/// <see cref="ServiceBinding"/> as JSON, no lease (the leader writes and removes them; they outlive any node). Every
/// node's <see cref="ServiceTable"/> watches the prefix.
/// </summary>
public sealed class ServiceBindings(IStateStore store)
{
    public const string Prefix = "net/services/";

    public static string PrefixOf(NetworkId network) => Prefix + network.Value + "/";

    public static string Key(NetworkId network, string serviceId) => PrefixOf(network) + serviceId;

    /// <summary>Writes (adds or replaces) a binding; InvalidArgument for a binding that does not hold together.</summary>
    public async Task PublishAsync(ServiceBinding binding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(binding);
        binding.Validate();
        await store.PutAsync(Key(binding.NetworkId, binding.ServiceId), Encode(binding), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a binding; false if there was none.</summary>
    public Task<bool> WithdrawAsync(NetworkId network, string serviceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceId);
        return store.DeleteAsync(Key(network, serviceId), cancellationToken);
    }

    /// <summary>One binding, or null.</summary>
    public async Task<ServiceBinding?> GetAsync(NetworkId network, string serviceId, CancellationToken cancellationToken = default) =>
        await store.GetAsync(Key(network, serviceId), cancellationToken).ConfigureAwait(false) is { } entry ? Decode(entry) : null;

    /// <summary>Every binding (of one network, or of all), unreadable records left out.</summary>
    public async Task<IReadOnlyList<ServiceBinding>> ListAsync(NetworkId? network = null, CancellationToken cancellationToken = default)
    {
        var entries = await store.ListAsync(network is { } id ? PrefixOf(id) : Prefix, cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(TryDecode).OfType<ServiceBinding>()];
    }

    /// <summary>The network and service of a key under <see cref="Prefix"/>; null for any other key.</summary>
    public static (NetworkId Network, string ServiceId)? ParseKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = key[Prefix.Length..].Split('/');
        return parts.Length == 2 && parts[0].Length == NetworkId.Length && parts[1].Length > 0 ? (new NetworkId(parts[0]), parts[1]) : null;
    }

    public static byte[] Encode(ServiceBinding binding) => JsonSerializer.SerializeToUtf8Bytes(binding, ServiceBindingJsonContext.Default.ServiceBinding);

    /// <summary>InvalidArgument when the record cannot be read.</summary>
    public static ServiceBinding Decode(StoreEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            return JsonSerializer.Deserialize(entry.Value.Span, ServiceBindingJsonContext.Default.ServiceBinding)
                ?? throw new BerthException(ErrorKind.InvalidArgument, $"service binding {entry.Key} is null");
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"service binding {entry.Key} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>The record, or null when it cannot be read (one bad record must not hide the others).</summary>
    public static ServiceBinding? TryDecode(StoreEntry entry)
    {
        try
        {
            return Decode(entry);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.InvalidArgument)
        {
            return null;
        }
    }
}
