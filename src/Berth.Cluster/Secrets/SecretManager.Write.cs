using System.Text;
using Berth.Cluster.Identity;
using Berth.Cluster.Services;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Store;

namespace Berth.Cluster.Secrets;

/// <summary>Create (one transaction with the name's claim and the fence), update (labels only, compare-and-swap), remove (fenced against services).</summary>
public sealed partial class SecretManager
{
    /// <summary>A removal that keeps losing to services' writes on its fence gives up after this many reads.</summary>
    private const int RemoveAttempts = 5;

    private static readonly byte[] FenceValue = [(byte)'1'];

    public async Task<SecretId> CreateAsync(SecretKind kind, SecretSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Validate(kind, spec);
        var id = SecretId.New();
        DateTimeOffset now = _time.GetUtcNow();
        var record = new SecretRecord
        {
            Id = id,
            Kind = kind,
            CreatedAt = now,
            UpdatedAt = now,
            Name = spec.Name,
            Labels = Labels(spec),
            Data = kind == SecretKind.Secret ? _seal().Seal(kind, id, spec.Data) : Convert.ToBase64String(spec.Data!),
        };
        var result = await _store.TransactAsync(new StoreTransaction
        {
            Compares = [new StoreCompare(kind.NameKey(spec.Name), 0), new StoreCompare(kind.Record(id), 0)],
            Success =
            [
                StoreOperation.Put(kind.Record(id), Bytes(record)),
                StoreOperation.Put(kind.NameKey(spec.Name), Encoding.UTF8.GetBytes(id.Value)),
                StoreOperation.Put(kind.FenceKey(id), FenceValue),
            ],
        }, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw SecretErrors.Exists(kind, spec.Name);
        }

        SecretsLog.Created(_logger, kind.Name(), spec.Name, id.Value);
        return id;
    }

    /// <summary>
    /// swarmkit <c>UpdateSecret</c>: only the labels change; the name must be the same, and data, if given (the CLI's
    /// <c>stack deploy</c> sends it), the same bytes (compared in constant time).
    /// </summary>
    public async Task UpdateAsync(SecretKind kind, string idOrName, long version, SecretSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        SecretEntry current = await ResolveAsync(kind, idOrName, cancellationToken).ConfigureAwait(false);
        if (spec.Name != current.Record.Name || (spec.Data is { } data && !SameData(data, Plain(current.Record))))
        {
            throw SecretErrors.Invalid("only updates to Labels are allowed");
        }

        if (current.Version != version)
        {
            throw SwarmErrors.Sequence();
        }

        var record = current.Record with { Labels = Labels(spec), UpdatedAt = _time.GetUtcNow() };
        var result = await _store.TransactAsync(new StoreTransaction
        {
            Compares = [new StoreCompare(kind.Record(record.Id), version)],
            Success = [StoreOperation.Put(kind.Record(record.Id), Bytes(record))],
        }, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw SwarmErrors.Sequence();
        }

        SecretsLog.Updated(_logger, kind.Name(), record.Name, record.Id.Value);
    }

    /// <summary>
    /// Refused while a service references it (swarmkit's message). The check and the removal are one transaction that
    /// compares the fence key read before the services were: a service create or update taking the secret up rewrites
    /// that key in its own transaction, so whichever commits second fails and reads again.
    /// </summary>
    public async Task RemoveAsync(SecretKind kind, string idOrName, CancellationToken cancellationToken = default)
    {
        for (int attempt = 1; ; attempt++)
        {
            SecretEntry current = await ResolveAsync(kind, idOrName, cancellationToken).ConfigureAwait(false);
            SecretId id = current.Record.Id;
            long fence = (await _store.GetAsync(kind.FenceKey(id), cancellationToken).ConfigureAwait(false))?.ModRevision ?? 0;
            var users = (await ServicesSnapshot.ServicesAsync(_store, cancellationToken).ConfigureAwait(false))
                .Where(s => SecretReferences.Of(s.Record.Spec.Task.Container, kind).Any(r => r.Id == id.Value))
                .Select(s => s.Record.Spec.Name)
                .Order(StringComparer.Ordinal)
                .ToList();
            if (users.Count > 0)
            {
                throw SecretErrors.InUse(kind, current.Record.Name, users);
            }

            var result = await _store.TransactAsync(new StoreTransaction
            {
                Compares = [new StoreCompare(kind.Record(id), current.Version), new StoreCompare(kind.FenceKey(id), fence)],
                Success =
                [
                    StoreOperation.Delete(kind.Record(id)),
                    StoreOperation.Delete(kind.NameKey(current.Record.Name)),
                    StoreOperation.Delete(kind.FenceKey(id)),
                ],
            }, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                SecretsLog.Removed(_logger, kind.Name(), current.Record.Name, id.Value);
                return;
            }

            if (attempt == RemoveAttempts)
            {
                throw new BerthException(ErrorKind.Conflict, $"{kind.Name()} {idOrName} kept changing while being removed (services taking it up?); try again");
            }
        }
    }
}
