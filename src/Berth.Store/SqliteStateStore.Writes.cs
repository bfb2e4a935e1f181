using Microsoft.Data.Sqlite;

namespace Berth.Store;

public sealed partial class SqliteStateStore
{
    public async Task<long> PutAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        var changes = await WriteAsync(StoreChangePlanner.Single(StoreOperation.Put(key, value)), cancellationToken).ConfigureAwait(false);
        return changes.Revision;
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var changes = await WriteAsync(StoreChangePlanner.Single(StoreOperation.Delete(key)), cancellationToken).ConfigureAwait(false);
        return changes.Events.Length > 0;
    }

    public async Task<StoreTransactionResult> TransactAsync(StoreTransaction transaction, CancellationToken cancellationToken = default)
    {
        var changes = await WriteAsync(transaction, cancellationToken).ConfigureAwait(false);
        return new StoreTransactionResult(changes.Succeeded, changes.Revision);
    }

    /// <summary>
    /// One write = one BEGIN IMMEDIATE transaction: read the revision, evaluate the compares, apply
    /// the chosen branch and the new revision, commit (fsync), then publish to watches, all under
    /// the write lock so watches see revisions in order. Cancellation is honoured only while waiting
    /// for the lock; a commit that started finishes.
    /// </summary>
    private async Task<StoreChangeSet> WriteAsync(StoreTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        await EnterAsync(_writeLock, cancellationToken).ConfigureAwait(false);
        try
        {
            using var sqlTransaction = _writer.BeginTransaction(deferred: false);
            var revision = ReadRevision(_writer, sqlTransaction);
            var changes = StoreChangePlanner.Plan(transaction, revision, key => ReadEntry(_writer, sqlTransaction, key));
            if (changes.Events.Length == 0)
            {
                sqlTransaction.Rollback();
                return changes;
            }

            foreach (var change in changes.Events)
            {
                if (change.Entry is { } entry)
                {
                    Upsert(sqlTransaction, entry);
                }
                else
                {
                    Remove(sqlTransaction, change.Key);
                }
            }

            using (var command = _writer.CreateCommand())
            {
                command.Transaction = sqlTransaction;
                command.CommandText = "UPDATE meta SET revision = $revision WHERE id = 0";
                command.Parameters.AddWithValue("$revision", changes.Revision);
                command.ExecuteNonQuery();
            }

            sqlTransaction.Commit();
            Linux.Reliability.CrashPoints.Pass("store");
            StoreLog.Committed(_logger, changes.Revision, changes.Events.Length);
            _hub.Publish(changes.Revision, changes.Events);
            return changes;
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, Path, "write");
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void Upsert(SqliteTransaction transaction, StoreEntry entry)
    {
        using var command = _writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO kv (key, value, create_revision, mod_revision, version)
            VALUES ($key, $value, $create, $mod, $version)
            ON CONFLICT (key) DO UPDATE SET
                value = excluded.value, create_revision = excluded.create_revision,
                mod_revision = excluded.mod_revision, version = excluded.version
            """;
        command.Parameters.AddWithValue("$key", entry.Key);
        command.Parameters.Add("$value", SqliteType.Blob).Value = entry.Value.ToArray();
        command.Parameters.AddWithValue("$create", entry.CreateRevision);
        command.Parameters.AddWithValue("$mod", entry.ModRevision);
        command.Parameters.AddWithValue("$version", entry.Version);
        command.ExecuteNonQuery();
    }

    private void Remove(SqliteTransaction transaction, string key)
    {
        using var command = _writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM kv WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        command.ExecuteNonQuery();
    }
}
