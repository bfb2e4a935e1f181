using System.Diagnostics;
using Berth.Core.Errors;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Berth.Store.Tests;

public sealed class SqliteStateStoreTests : StateStoreContractTests
{
    private readonly TempDirectory _directory = new();
    private readonly ITestOutputHelper _output;

    public SqliteStateStoreTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private string DatabasePath => _directory.File("state.db");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    protected override async Task<IStateStore> CreateStoreAsync() => await SqliteStateStore.OpenAsync(DatabasePath);

    [Fact]
    public async Task A_new_file_starts_at_revision_zero() => Assert.Equal(0, await Store.GetRevisionAsync());

    [Fact]
    public async Task Data_and_revisions_survive_dispose_and_reopen()
    {
        await Store.PutAsync("networks/a", Bytes("1"));
        await Store.PutAsync("networks/a", Bytes("2"));
        await Store.PutAsync("networks/b", Bytes("1"));
        await Store.DeleteAsync("networks/b");
        await Store.DisposeAsync();

        await using var reopened = await SqliteStateStore.OpenAsync(DatabasePath);

        Assert.Equal(4, await reopened.GetRevisionAsync());
        var entry = await reopened.GetAsync("networks/a");
        Assert.Equal("2", Text(entry));
        Assert.Equal((1L, 2L, 2L), (entry!.CreateRevision, entry.ModRevision, entry.Version));
        Assert.Null(await reopened.GetAsync("networks/b"));
        Assert.Equal(5, await reopened.PutAsync("networks/c", Bytes("1")));
    }

    [Fact]
    public async Task A_returned_write_is_in_the_file_even_if_the_store_is_abandoned()
    {
        // The first store is never disposed: as after kill -9, nothing but the committed WAL remains.
        var abandoned = await SqliteStateStore.OpenAsync(_directory.File("abandoned.db"));
        await abandoned.PutAsync("networks/a", Bytes("committed"));
        await abandoned.TransactAsync(new StoreTransaction { Success = [StoreOperation.Put("networks/b", Bytes("too"))] });

        await using var second = await SqliteStateStore.OpenAsync(_directory.File("abandoned.db"));

        Assert.Equal(2, await second.GetRevisionAsync());
        Assert.Equal("committed", Text(await second.GetAsync("networks/a")));
        Assert.Equal("too", Text(await second.GetAsync("networks/b")));
    }

    [Fact]
    public async Task The_file_uses_wal_full_sync_and_the_current_schema_version()
    {
        await Store.PutAsync("a", Bytes("1"));
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();

        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
        Assert.Equal((long)SqliteStateStore.SchemaVersion, await ScalarAsync(connection, "PRAGMA user_version"));
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT revision FROM meta"));
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT count(*) FROM kv"));
    }

    [Fact]
    public async Task A_file_from_a_newer_berthd_is_refused()
    {
        var path = _directory.File("newer.db");
        await using (var store = await SqliteStateStore.OpenAsync(path))
        {
            await store.PutAsync("a", Bytes("1"));
        }

        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await ScalarAsync(connection, $"PRAGMA user_version = {SqliteStateStore.SchemaVersion + 1}");
        }

        var error = await Assert.ThrowsAsync<BerthException>(() => SqliteStateStore.OpenAsync(path));
        Assert.Equal(ErrorKind.NotSupported, error.Kind);
        Assert.Contains("upgrade berthd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_reopen_a_watch_resumes_from_the_current_revision_but_not_from_before()
    {
        await Store.PutAsync("a", Bytes("1"));
        await Store.PutAsync("a", Bytes("2"));
        await Store.DisposeAsync();
        await using var reopened = await SqliteStateStore.OpenAsync(DatabasePath);

        var error = await Assert.ThrowsAsync<StoreWatchLostException>(() => Watching.TakeAsync(reopened.WatchAsync("", 1), 1));
        Assert.Equal(StoreWatchLostReason.Compacted, error.Reason);

        var live = Watching.TakeAsync(reopened.WatchAsync("", 2), 1);
        await reopened.PutAsync("a", Bytes("3"));
        Assert.Equal(3, Assert.Single(await live).Revision);
    }

    [Fact]
    public async Task Measure_put_and_transaction_latency()
    {
        const int Samples = 200;
        var put = new List<double>(Samples);
        var transact = new List<double>(Samples);
        for (var i = 0; i < Samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var revision = await Store.PutAsync($"bench/put/{i}", Bytes("{\"name\":\"bench\",\"subnet\":\"172.30.0.0/16\"}"));
            put.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

            started = Stopwatch.GetTimestamp();
            var result = await Store.TransactAsync(new StoreTransaction
            {
                Compares = [new StoreCompare($"bench/put/{i}", revision), new StoreCompare($"bench/txn/{i}", 0)],
                Success = [StoreOperation.Put($"bench/txn/{i}", Bytes("x")), StoreOperation.Put($"bench/put/{i}", Bytes("y"))],
            });
            transact.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Assert.True(result.Succeeded);
        }

        _output.WriteLine($"SqliteStateStore over {Samples} samples (synchronous=FULL, WAL): PutAsync median {Median(put):F3} ms, p90 {Percentile(put, 0.9):F3} ms; TransactAsync (2 compares, 2 puts) median {Median(transact):F3} ms, p90 {Percentile(transact, 0.9):F3} ms");
    }

    private static double Median(List<double> samples) => Percentile(samples, 0.5);

    private static double Percentile(List<double> samples, double fraction)
    {
        var sorted = samples.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(fraction * sorted.Count))];
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
