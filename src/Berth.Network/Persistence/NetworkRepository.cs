using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Store;

namespace Berth.Network.Persistence;

/// <summary>
/// Networks in the state store: one JSON document per network under <c>networks/&lt;id&gt;</c>, the name claimed
/// under <c>network-names/&lt;name&gt;</c> (value: the id) and the subnets in <see cref="SubnetsKey"/>, all written
/// by one transaction, so two daemons sharing a store can neither create two networks of one name nor overlapping
/// subnets. Updates compare the record's mod revision and re-read on conflict.
/// </summary>
public sealed class NetworkRepository(IStateStore store)
{
    public const string Prefix = "networks/";
    public const string NamesPrefix = "network-names/";
    public const string SubnetsKey = "ipam-subnets";

    /// <summary>How often a read-modify-write is retried when other writers keep changing the record.</summary>
    public const int MaxAttempts = 64;

    public IStateStore Store => store;

    public static string Key(NetworkId id) => Prefix + id.Value;

    public static string NameKey(string name) => NamesPrefix + name;

    public static NetworkState Decode(StoreEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return JsonSerializer.Deserialize(entry.Value.Span, NetworkStateJsonContext.Default.NetworkState)
            ?? throw new JsonException($"state entry {entry.Key} is empty");
    }

    public async Task<IReadOnlyList<StoredNetwork>> LoadAllAsync(CancellationToken cancellationToken = default)
    {
        var entries = await store.ListAsync(Prefix, cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(e => new StoredNetwork(Decode(e), e.ModRevision))];
    }

    public async Task<StoredNetwork?> LoadAsync(NetworkId id, CancellationToken cancellationToken = default) =>
        await store.GetAsync(Key(id), cancellationToken).ConfigureAwait(false) is { } entry ? new StoredNetwork(Decode(entry), entry.ModRevision) : null;

    public async Task<SubnetClaims> LoadSubnetClaimsAsync(CancellationToken cancellationToken = default) =>
        await store.GetAsync(SubnetsKey, cancellationToken).ConfigureAwait(false) is { } entry ? SubnetClaims.Parse(entry.Value.Span, entry.ModRevision) : SubnetClaims.Absent;

    /// <summary>The id that holds the name, or null.</summary>
    public async Task<string?> NameOwnerAsync(string name, CancellationToken cancellationToken = default) =>
        await store.GetAsync(NameKey(name), cancellationToken).ConfigureAwait(false) is { } entry ? Encoding.UTF8.GetString(entry.Value.Span) : null;

    /// <summary>
    /// Writes a new network in one transaction with its name claim (when <paramref name="claimName"/>) and its subnets
    /// added to <paramref name="claims"/>; fails (null) if the network key exists, the name is taken or the subnet
    /// list changed since <paramref name="claims"/> was read. Returns the record's revision.
    /// </summary>
    public async Task<long?> TryCreateAsync(NetworkState network, SubnetClaims claims, bool claimName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(claims);
        var compares = ImmutableArray.CreateBuilder<StoreCompare>();
        var writes = ImmutableArray.CreateBuilder<StoreOperation>();
        compares.Add(new StoreCompare(Key(network.Id), 0));
        writes.Add(StoreOperation.Put(Key(network.Id), Encode(network)));
        if (claimName)
        {
            compares.Add(new StoreCompare(NameKey(network.Name), 0));
            writes.Add(StoreOperation.Put(NameKey(network.Name), Encoding.UTF8.GetBytes(network.Id.Value)));
        }

        if (!network.Subnets.IsDefaultOrEmpty)
        {
            compares.Add(new StoreCompare(SubnetsKey, claims.ModRevision));
            writes.Add(StoreOperation.Put(SubnetsKey, claims.With(network.Subnets.Select(s => $"{s.Subnet} {network.Id.Value}")).Encode()));
        }

        var result = await store.TransactAsync(new StoreTransaction { Compares = compares.ToImmutable(), Success = writes.ToImmutable() }, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.Revision : null;
    }

    /// <summary>
    /// Read-modify-write of one network with compare-and-swap on its revision, retried on conflict. NotFound if it is
    /// gone. Returns the written network and its revision.
    /// </summary>
    public async Task<StoredNetwork> UpdateAsync(NetworkId id, Func<NetworkState, NetworkState> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await LoadAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new BerthException(ErrorKind.NotFound, $"network {id.Value} not found");
            var updated = change(current.Network);
            var result = await store.TransactAsync(new StoreTransaction
            {
                Compares = [new StoreCompare(Key(id), current.ModRevision)],
                Success = [StoreOperation.Put(Key(id), Encode(updated))],
            }, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                return new StoredNetwork(updated, result.Revision);
            }
        }

        throw Contended(id);
    }

    /// <summary>
    /// Marks the network draining and gives up its name claim (a new network may take the name at once), in one
    /// transaction retried on conflict. NotFound if it is gone. Returns the written network and its revision.
    /// </summary>
    public async Task<StoredNetwork> DrainAsync(NetworkId id, CancellationToken cancellationToken = default)
    {
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await LoadAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new BerthException(ErrorKind.NotFound, $"network {id.Value} not found");
            var draining = current.Network with { Phase = NetworkPhase.Draining };
            var compares = ImmutableArray.CreateBuilder<StoreCompare>();
            var writes = ImmutableArray.CreateBuilder<StoreOperation>();
            compares.Add(new StoreCompare(Key(id), current.ModRevision));
            writes.Add(StoreOperation.Put(Key(id), Encode(draining)));
            await ReleaseNameAsync(draining, compares, writes, cancellationToken).ConfigureAwait(false);

            var result = await store.TransactAsync(new StoreTransaction { Compares = compares.ToImmutable(), Success = writes.ToImmutable() }, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                return new StoredNetwork(draining, result.Revision);
            }
        }

        throw Contended(id);
    }

    /// <summary>
    /// Removes the network, its name claim (if it holds it) and its subnets, in one transaction retried on conflict.
    /// Returns the revision of the delete, or null if it was already gone.
    /// </summary>
    public async Task<long?> DeleteAsync(NetworkId id, CancellationToken cancellationToken = default)
    {
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await store.GetAsync(Key(id), cancellationToken).ConfigureAwait(false) is not { } entry)
            {
                return null;
            }

            var network = Decode(entry);
            var compares = ImmutableArray.CreateBuilder<StoreCompare>();
            var writes = ImmutableArray.CreateBuilder<StoreOperation>();
            compares.Add(new StoreCompare(entry.Key, entry.ModRevision));
            writes.Add(StoreOperation.Delete(entry.Key));
            await ReleaseNameAsync(network, compares, writes, cancellationToken).ConfigureAwait(false);

            var claims = await LoadSubnetClaimsAsync(cancellationToken).ConfigureAwait(false);
            var rest = claims.Without(id.Value);
            if (rest.Lines.Length != claims.Lines.Length)
            {
                compares.Add(new StoreCompare(SubnetsKey, claims.ModRevision));
                writes.Add(StoreOperation.Put(SubnetsKey, rest.Encode()));
            }

            var result = await store.TransactAsync(new StoreTransaction { Compares = compares.ToImmutable(), Success = writes.ToImmutable() }, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                return result.Revision;
            }
        }

        throw Contended(id);
    }

    /// <summary>Adds to a transaction the removal of the network's name claim, if the network holds it (another may have taken the name since).</summary>
    private async Task ReleaseNameAsync(NetworkState network, ImmutableArray<StoreCompare>.Builder compares, ImmutableArray<StoreOperation>.Builder writes, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(NameKey(network.Name), cancellationToken).ConfigureAwait(false) is { } name
            && Encoding.UTF8.GetString(name.Value.Span) == network.Id.Value)
        {
            compares.Add(new StoreCompare(name.Key, name.ModRevision));
            writes.Add(StoreOperation.Delete(name.Key));
        }
    }

    /// <summary>
    /// A store written before names and subnets were claimed: claims what its networks hold (create-if-absent for
    /// names; the subnet list is written only when it does not exist yet).
    /// </summary>
    public async Task AdoptAsync(IReadOnlyCollection<NetworkState> networks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(networks);
        foreach (var network in networks)
        {
            await store.TransactAsync(new StoreTransaction
            {
                Compares = [new StoreCompare(NameKey(network.Name), 0)],
                Success = [StoreOperation.Put(NameKey(network.Name), Encoding.UTF8.GetBytes(network.Id.Value))],
            }, cancellationToken).ConfigureAwait(false);
        }

        var lines = networks.SelectMany(n => n.Subnets.Select(s => $"{s.Subnet} {n.Id.Value}")).ToList();
        if (lines.Count > 0)
        {
            await store.TransactAsync(new StoreTransaction
            {
                Compares = [new StoreCompare(SubnetsKey, 0)],
                Success = [StoreOperation.Put(SubnetsKey, SubnetClaims.Absent.With(lines).Encode())],
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private static byte[] Encode(NetworkState network) => JsonSerializer.SerializeToUtf8Bytes(network, NetworkStateJsonContext.Default.NetworkState);

    private static BerthException Contended(NetworkId id) =>
        new(ErrorKind.Unavailable, $"network {id.Value}: the record kept changing under {MaxAttempts} attempts to update it; retry");
}
