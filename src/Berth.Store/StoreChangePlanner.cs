using System.Collections.Immutable;
using Berth.Core.Errors;

namespace Berth.Store;

/// <summary>
/// The etcd semantics of a write, shared by every implementation so they cannot drift apart:
/// compares are evaluated against the current entries, one branch is chosen, and its operations
/// become events at revision + 1. A delete of an absent key changes nothing; a write that changes
/// nothing does not bump the revision (as in etcd).
/// </summary>
internal static class StoreChangePlanner
{
    public static StoreChangeSet Plan(StoreTransaction transaction, long revision, Func<string, StoreEntry?> lookup)
    {
        Validate(transaction);
        foreach (var operation in transaction.Success.Concat(transaction.Failure))
        {
            if (operation.LeaseId != 0)
            {
                throw new BerthException(ErrorKind.NotSupported, $"state store: key \"{operation.Key}\" is put with lease {operation.LeaseId}, but leases need the cluster store (etcd); this store has none");
            }
        }

        var succeeded = true;
        foreach (var compare in transaction.Compares)
        {
            var current = lookup(compare.Key)?.ModRevision ?? 0;
            if (current != compare.ModRevision)
            {
                succeeded = false;
                break;
            }
        }

        var next = revision + 1;
        var events = ImmutableArray.CreateBuilder<StoreEvent>();
        foreach (var operation in succeeded ? transaction.Success : transaction.Failure)
        {
            var existing = lookup(operation.Key);
            if (operation.Value is { } value)
            {
                // Copy: the caller may reuse its buffer after the call returns.
                var entry = existing is null
                    ? new StoreEntry(operation.Key, value.ToArray(), next, next, 1)
                    : new StoreEntry(operation.Key, value.ToArray(), existing.CreateRevision, next, existing.Version + 1);
                events.Add(new StoreEvent(StoreEventKind.Put, operation.Key, entry, next));
            }
            else if (existing is not null)
            {
                events.Add(new StoreEvent(StoreEventKind.Delete, operation.Key, null, next));
            }
        }

        return new StoreChangeSet(succeeded, events.Count == 0 ? revision : next, events.ToImmutable());
    }

    public static StoreTransaction Single(StoreOperation operation) => new() { Success = [operation] };

    internal static void ValidateKey(string key)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new BerthException(ErrorKind.InvalidArgument, "state store keys must not be empty");
        }
    }

    internal static void ValidatePrefix(string prefix)
    {
        if (prefix is null)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "state store prefix must not be null; use \"\" for every key");
        }
    }

    internal static void Validate(StoreTransaction transaction)
    {
        foreach (var compare in transaction.Compares)
        {
            ValidateKey(compare.Key);
            if (compare.ModRevision < 0)
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"state store compare on \"{compare.Key}\": mod revision {compare.ModRevision} is negative; use 0 for \"absent\"");
            }
        }

        ValidateBranch(transaction.Success, "success");
        ValidateBranch(transaction.Failure, "failure");
    }

    // etcd rejects a key written twice in one transaction ("duplicate key given in txn request"):
    // both writes would share one revision, so the key's version would be ambiguous.
    private static void ValidateBranch(ImmutableArray<StoreOperation> operations, string branch)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            ValidateKey(operation.Key);
            if (operation.LeaseId < 0 || (operation.LeaseId != 0 && operation.Value is null))
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"state store transaction: lease {operation.LeaseId} on key \"{operation.Key}\" is invalid; only puts take a lease, and lease ids are positive");
            }

            if (!seen.Add(operation.Key))
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"state store transaction writes key \"{operation.Key}\" twice in its {branch} branch; write each key once");
            }
        }
    }
}
