using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Store;

namespace Berth.Network.Ipam;

/// <summary>
/// Container addresses as claims in the state store: one key per handed-out address,
/// <c>ipam/&lt;network id&gt;/&lt;address&gt;</c> → its owner (a container id), created by a transaction that
/// compares the key absent. Two daemons sharing one store therefore never hand out one address twice: the loser of a
/// race sees its compare fail and tries the next candidate. Release deletes the key only if the owner still holds it.
/// <para>
/// The <see cref="AddressAllocator"/> per subnet is only a hint — the next-fit cursor and the addresses known taken —
/// built from the store's claims on first use; a candidate it offers is not the truth until its key is committed. When
/// the hint says the range is exhausted it is rebuilt from the store once (another process may have released
/// addresses) before the caller is told.
/// </para>
/// </summary>
public sealed class AddressClaims(IStateStore store)
{
    public const string Prefix = "ipam/";

    /// <summary>How often a release re-reads a claim that keeps changing.</summary>
    private const int MaxReleaseAttempts = 16;

    private readonly ConcurrentDictionary<string, Lazy<Task<AddressAllocator>>> _hints = new(StringComparer.Ordinal);

    public static string PrefixOf(NetworkId network) => Prefix + network.Value + "/";

    public static string KeyOf(NetworkId network, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return PrefixOf(network) + address;
    }

    /// <summary>The hint for one subnet of a network (built from the store's claims on first use).</summary>
    public Task<AddressAllocator> HintAsync(NetworkId network, string networkName, SubnetAllocation pool, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        string key = HintKey(network, pool);
        var lazy = _hints.GetOrAdd(key, _ => new Lazy<Task<AddressAllocator>>(() => BuildHintAsync(network, networkName, pool, CancellationToken.None)));
        if (lazy.Value.IsFaulted)
        {
            // A failed read of the claims is not remembered: the next caller builds the hint again.
            _hints.TryRemove(KeyValuePair.Create(key, lazy));
        }

        return lazy.Value.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Claims an address of <paramref name="pool"/> for <paramref name="owner"/>: <paramref name="required"/> if given
    /// (Conflict <c>Address already in use</c> when someone holds it), else <paramref name="preferred"/> if it is free,
    /// else the next free one (Unavailable when none is left).
    /// </summary>
    public async Task<IPAddress> ClaimAsync(NetworkId network, string networkName, SubnetAllocation pool, string owner, IPAddress? required = null, IPAddress? preferred = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var hint = await HintAsync(network, networkName, pool, cancellationToken).ConfigureAwait(false);
        if (required is not null)
        {
            return await ClaimExactAsync(network, hint, required, owner, cancellationToken).ConfigureAwait(false);
        }

        if (preferred is not null && preferred.AddressFamily == pool.Subnet.BaseAddress.AddressFamily && IPNetworkMath.Contains(pool.Subnet, preferred))
        {
            try
            {
                return await ClaimExactAsync(network, hint, preferred, owner, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.Conflict)
            {
                // Only a preference (the address a restarted container had): any free address will do.
            }
        }

        bool rebuilt = false;
        while (true)
        {
            IPAddress candidate;
            try
            {
                candidate = hint.Allocate();
            }
            catch (BerthException e) when (e.Kind == ErrorKind.Unavailable && !rebuilt)
            {
                hint = await RebuildHintAsync(network, networkName, pool, cancellationToken).ConfigureAwait(false);
                rebuilt = true;
                continue;
            }

            if (await TryCreateAsync(network, candidate, owner, cancellationToken).ConfigureAwait(false))
            {
                return candidate;
            }

            // Another daemon holds it; it stays marked in the hint, and the cursor has moved past it.
        }
    }

    /// <summary>
    /// Gives the address back if <paramref name="owner"/> holds it (compare-and-delete, re-read on conflict). Returns
    /// false when the claim was already gone or held by someone else.
    /// </summary>
    public async Task<bool> ReleaseAsync(NetworkId network, string networkName, SubnetAllocation pool, IPAddress address, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(address);
        string key = KeyOf(network, address);
        var hint = await HintAsync(network, networkName, pool, cancellationToken).ConfigureAwait(false);
        for (int attempt = 0; attempt < MaxReleaseAttempts; attempt++)
        {
            var entry = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (entry is null)
            {
                hint.Release(address);
                return false;
            }

            if (Encoding.UTF8.GetString(entry.Value.Span) != owner)
            {
                return false;
            }

            var result = await store.TransactAsync(new StoreTransaction
            {
                Compares = [new StoreCompare(key, entry.ModRevision)],
                Success = [StoreOperation.Delete(key)],
            }, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                hint.Release(address);
                return true;
            }
        }

        throw new BerthException(ErrorKind.Unavailable, $"address {address} on network \"{networkName}\": its claim kept changing during {MaxReleaseAttempts} attempts to release it; retry");
    }

    /// <summary>The caller deleted the address's claim in a transaction of its own: the hint frees it too.</summary>
    public async Task ForgetAsync(NetworkId network, string networkName, SubnetAllocation pool, IPAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        var hint = await HintAsync(network, networkName, pool, cancellationToken).ConfigureAwait(false);
        hint.Release(address);
    }

    /// <summary>Every claim on the network: address → owner.</summary>
    public async Task<IReadOnlyDictionary<IPAddress, string>> ListAsync(NetworkId network, CancellationToken cancellationToken = default)
    {
        var entries = await store.ListAsync(PrefixOf(network), cancellationToken).ConfigureAwait(false);
        var claims = new Dictionary<IPAddress, string>();
        foreach (var entry in entries)
        {
            if (IPAddress.TryParse(entry.Key.AsSpan(PrefixOf(network).Length), out var address))
            {
                claims[address] = Encoding.UTF8.GetString(entry.Value.Span);
            }
        }

        return claims;
    }

    /// <summary>
    /// A store written before addresses were claimed: claims <paramref name="address"/> for <paramref name="owner"/> if
    /// nobody holds it. True if it is (now) held by the owner.
    /// </summary>
    public async Task<bool> AdoptAsync(NetworkId network, IPAddress address, string owner, CancellationToken cancellationToken = default)
    {
        if (await TryCreateAsync(network, address, owner, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        return await store.GetAsync(KeyOf(network, address), cancellationToken).ConfigureAwait(false) is { } entry
            && Encoding.UTF8.GetString(entry.Value.Span) == owner;
    }

    /// <summary>Drops every claim of a removed network and its hints (a crash may have left claims behind).</summary>
    public async Task ForgetNetworkAsync(NetworkId network, CancellationToken cancellationToken = default)
    {
        foreach (var entry in await store.ListAsync(PrefixOf(network), cancellationToken).ConfigureAwait(false))
        {
            await store.TransactAsync(new StoreTransaction
            {
                Compares = [new StoreCompare(entry.Key, entry.ModRevision)],
                Success = [StoreOperation.Delete(entry.Key)],
            }, cancellationToken).ConfigureAwait(false);
        }

        foreach (var key in _hints.Keys.Where(k => k.StartsWith(network.Value, StringComparison.Ordinal)).ToList())
        {
            _hints.TryRemove(key, out _);
        }
    }

    private async Task<IPAddress> ClaimExactAsync(NetworkId network, AddressAllocator hint, IPAddress address, string owner, CancellationToken cancellationToken)
    {
        if (hint.IsInUse(address))
        {
            // The hint may be stale (another process released the address): the store decides. The network,
            // broadcast, gateway and auxiliary addresses stay reserved (Release refuses them) and fail below.
            if (await store.GetAsync(KeyOf(network, address), cancellationToken).ConfigureAwait(false) is null)
            {
                hint.Release(address);
            }
        }

        hint.Allocate(address);

        if (await TryCreateAsync(network, address, owner, cancellationToken).ConfigureAwait(false))
        {
            return address;
        }

        throw new BerthException(ErrorKind.Conflict,
            $"Address already in use: {address} on network \"{hint.NetworkName}\"; choose another --ip or leave it out");
    }

    private async Task<bool> TryCreateAsync(NetworkId network, IPAddress address, string owner, CancellationToken cancellationToken)
    {
        string key = KeyOf(network, address);
        var result = await store.TransactAsync(new StoreTransaction
        {
            Compares = [new StoreCompare(key, 0)],
            Success = [StoreOperation.Put(key, Encoding.UTF8.GetBytes(owner))],
        }, cancellationToken).ConfigureAwait(false);
        return result.Succeeded;
    }

    private async Task<AddressAllocator> RebuildHintAsync(NetworkId network, string networkName, SubnetAllocation pool, CancellationToken cancellationToken)
    {
        var hint = await BuildHintAsync(network, networkName, pool, cancellationToken).ConfigureAwait(false);
        _hints[HintKey(network, pool)] = new Lazy<Task<AddressAllocator>>(Task.FromResult(hint));
        return hint;
    }

    private async Task<AddressAllocator> BuildHintAsync(NetworkId network, string networkName, SubnetAllocation pool, CancellationToken cancellationToken)
    {
        var hint = new AddressAllocator(networkName, pool);
        foreach (var address in (await ListAsync(network, cancellationToken).ConfigureAwait(false)).Keys)
        {
            hint.MarkTaken(address);
        }

        return hint;
    }

    private static string HintKey(NetworkId network, SubnetAllocation pool) => network.Value + "/" + pool.Subnet;
}
