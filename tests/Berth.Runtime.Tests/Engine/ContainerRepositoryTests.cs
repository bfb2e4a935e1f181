using Berth.Core.Containers;
using System.Text;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime.Engine;
using Berth.Store;

namespace Berth.Runtime.Tests.Engine;

/// <summary>Container records in one store shared by two repositories, as two daemons sharing a cluster store will be.</summary>
/// <remarks>xunit 2 disposes a test class through IAsyncLifetime, never through IAsyncDisposable.</remarks>
public sealed class ContainerRepositoryTests : IAsyncLifetime
{
    private readonly InMemoryStateStore _store = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Concurrent_creates_of_one_name_have_exactly_one_winner_and_conflicts_for_the_rest()
    {
        await using var a = new ContainerRepository(_store);
        await using var b = new ContainerRepository(_store);
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                return (Record: await (i % 2 == 0 ? a : b).CreateAsync(Record(NewId(), "web")), Error: (BerthException?)null);
            }
            catch (BerthException e)
            {
                return (Record: (ContainerRecord?)null, Error: e);
            }
        }));
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.Record is not null).Record!;
        Assert.All(results.Where(r => r.Record is null), r =>
        {
            Assert.Equal(ErrorKind.Conflict, r.Error!.Kind);
            Assert.Equal($"Conflict. The container name \"/web\" is already in use by container \"{winner.Id}\". You have to remove (or rename) that container to be able to reuse that name.", r.Error.Message);
        });
        Assert.Single(await _store.ListAsync(ContainerRepository.Prefix));
        Assert.Equal(winner.Id.Value, await ClaimOwnerAsync("web"));
    }

    [Fact]
    public async Task Rename_to_a_name_taken_by_another_repository_is_refused_and_changes_nothing()
    {
        await using var a = new ContainerRepository(_store);
        await using var b = new ContainerRepository(_store);
        var first = await a.CreateAsync(Record(NewId(), "first"));
        var second = await b.CreateAsync(Record(NewId(), "second"));

        // b has never seen "first" in its cache: the store's claim refuses it.
        var error = await Assert.ThrowsAsync<BerthException>(() => b.RenameAsync(second.Id, "first"));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Contains($"is already in use by container \"{first.Id}\"", error.Message, StringComparison.Ordinal);
        Assert.Equal("second", (await ReadAsync(second.Id)).Name);
        Assert.Equal(second.Id.Value, await ClaimOwnerAsync("second"));
        Assert.Equal(first.Id.Value, await ClaimOwnerAsync("first"));
    }

    [Fact]
    public async Task Rename_moves_the_claim_in_one_write()
    {
        await using var a = new ContainerRepository(_store);
        var record = await a.CreateAsync(Record(NewId(), "old"));
        long before = await _store.GetRevisionAsync();

        var renamed = await a.RenameAsync(record.Id, "new");

        Assert.Equal("new", renamed.Name);
        Assert.Equal(before + 1, await _store.GetRevisionAsync());
        Assert.Null(await ClaimOwnerAsync("old"));
        Assert.Equal(record.Id.Value, await ClaimOwnerAsync("new"));
        Assert.Equal("new", (await ReadAsync(record.Id)).Name);
        Assert.Equal("new", a.Records[record.Id].Name);
    }

    [Fact]
    public async Task An_update_that_loses_the_race_is_applied_again_to_the_newer_record()
    {
        await using var a = new ContainerRepository(_store);
        var record = await a.CreateAsync(Record(NewId(), "web"));

        // Another writer changes the record behind a's cache (a does not watch: no LoadAsync).
        await _store.PutAsync(ContainerRepository.Key(record.Id), Encode(record with { RestartCount = 5 }));
        int calls = 0;

        var updated = await a.UpdateAsync(record.Id, r =>
        {
            calls++;
            return r with { ExitCode = 3 };
        });

        Assert.Equal(2, calls);
        Assert.Equal(5, updated.RestartCount);
        Assert.Equal(3, updated.ExitCode);
        var stored = await ReadAsync(record.Id);
        Assert.Equal((5, 3), (stored.RestartCount, stored.ExitCode));
        Assert.Equal((await _store.GetAsync(ContainerRepository.Key(record.Id)))!.ModRevision, a.RevisionOf(record.Id));
    }

    [Fact]
    public async Task Remove_deletes_record_and_claim_and_frees_the_name()
    {
        await using var a = new ContainerRepository(_store);
        await using var b = new ContainerRepository(_store);
        var record = await a.CreateAsync(Record(NewId(), "web"));

        Assert.True(await a.RemoveAsync(record.Id));

        Assert.Null(await _store.GetAsync(ContainerRepository.Key(record.Id)));
        Assert.Null(await ClaimOwnerAsync("web"));
        Assert.False(a.Records.ContainsKey(record.Id));
        var again = await b.CreateAsync(Record(NewId(), "web"));
        Assert.Equal(again.Id.Value, await ClaimOwnerAsync("web"));
        Assert.False(await a.RemoveAsync(record.Id));
    }

    [Fact]
    public async Task Records_written_before_claims_get_their_names_claimed_when_loaded()
    {
        var old = Record(NewId(), "legacy");
        await _store.PutAsync(ContainerRepository.Key(old.Id), Encode(old));
        await using var a = new ContainerRepository(_store);
        await using var b = new ContainerRepository(_store);

        var loaded = await a.LoadAsync();

        Assert.Equal(old.Id, Assert.Single(loaded).Id);
        Assert.Equal(old.Id.Value, await ClaimOwnerAsync("legacy"));
        var error = await Assert.ThrowsAsync<BerthException>(() => b.CreateAsync(Record(NewId(), "legacy")));
        Assert.Equal(ErrorKind.Conflict, error.Kind);

        // The adopted claim moves and goes with the record like any other.
        await a.RenameAsync(old.Id, "modern");
        Assert.Null(await ClaimOwnerAsync("legacy"));
        await a.RemoveAsync(old.Id);
        Assert.Empty(await _store.ListAsync(ContainerRepository.NamesPrefix));
    }

    [Fact]
    public async Task A_write_by_one_repository_reaches_the_other_s_cache_through_the_watch()
    {
        await using var a = new ContainerRepository(_store);
        await using var b = new ContainerRepository(_store);
        await a.LoadAsync();
        await b.LoadAsync();

        var made = await b.CreateAsync(Record(NewId(), "web"));
        await Eventually(() => a.Records.ContainsKey(made.Id));
        Assert.Equal("web", a.Records[made.Id].Name);

        await b.UpdateAsync(made.Id, r => r with { Status = ContainerStatus.Exited, ExitCode = 7 });
        await Eventually(() => a.Records[made.Id].ExitCode == 7);

        // a writes on top of what it saw through the watch: its cached revision is current, no conflict to retry.
        int calls = 0;
        await a.UpdateAsync(made.Id, r =>
        {
            calls++;
            return r with { RestartCount = 1 };
        });
        Assert.Equal(1, calls);
        await Eventually(() => b.Records[made.Id].RestartCount == 1);

        await b.RemoveAsync(made.Id);
        await Eventually(() => !a.Records.ContainsKey(made.Id));
    }

    private static ContainerRecord Record(ContainerId id, string name) => new()
    {
        Id = id,
        Name = name,
        Created = DateTimeOffset.UnixEpoch,
        Spec = new ContainerCreateSpec { Image = "busybox" },
        ImageId = "sha256:" + new string('0', 64),
        Command = ["true"],
        ExplicitEndpoints = true,
    };

    private static ContainerId NewId() => ContainerId.New();

    private static byte[] Encode(ContainerRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, EngineJsonContext.Default.ContainerRecord);

    private async Task<ContainerRecord> ReadAsync(ContainerId id) =>
        JsonSerializer.Deserialize((await _store.GetAsync(ContainerRepository.Key(id)))!.Value.Span, EngineJsonContext.Default.ContainerRecord)!;

    private async Task<string?> ClaimOwnerAsync(string name) =>
        await _store.GetAsync(ContainerRepository.NameKey(name)) is { } claim ? Encoding.UTF8.GetString(claim.Value.Span) : null;

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            await Task.Delay(10);
        }
    }
}
