using System.Collections.Immutable;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Store.Tests;

/// <summary>The semantics every <see cref="IStateStore"/> must have; one subclass per implementation.</summary>
public abstract class StateStoreContractTests : IAsyncLifetime
{
    private IStateStore? _store;

    protected IStateStore Store => _store ?? throw new InvalidOperationException("store not created");

    /// <summary>
    /// The revision of the new store: 0 for a local store; for etcd, whatever the shared etcd was at. Revisions
    /// are asserted relative to it (each test is the only writer of its store while it runs).
    /// </summary>
    protected long Base { get; private set; }

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        Base = await _store.GetRevisionAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    protected abstract Task<IStateStore> CreateStoreAsync();

    /// <summary>
    /// Makes the store forget changes up to <paramref name="revision"/>. The local stores already have: they
    /// keep only <see cref="WatchHub.HistoryCapacity"/> changes and the test wrote more; etcd compacts.
    /// </summary>
    protected virtual Task ForgetHistoryAsync(long revision) => Task.CompletedTask;

    /// <summary>
    /// Whether a watcher that reads too slowly is ended (<see cref="StoreWatchLostReason.Overflow"/>): the local
    /// stores publish from the writer and must not let it wait. etcd buffers a slow watcher itself without
    /// slowing writers, so its watches are held back instead and deliver every change.
    /// </summary>
    protected virtual bool SlowWatchersAreEnded => true;

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(StoreEntry? entry) => entry is null ? "<absent>" : Encoding.UTF8.GetString(entry.Value.Span);

    [Fact]
    public async Task Fresh_store_is_empty()
    {
        Assert.Equal(Base, await Store.GetRevisionAsync());
        Assert.Null(await Store.GetAsync("networks/a"));
        Assert.Empty(await Store.ListAsync(""));
    }

    [Fact]
    public async Task Put_then_get_returns_value_and_revisions()
    {
        var revision = await Store.PutAsync("networks/a", Bytes("one"));

        Assert.Equal(Base + 1, revision);
        Assert.Equal(Base + 1, await Store.GetRevisionAsync());
        var entry = await Store.GetAsync("networks/a");
        Assert.NotNull(entry);
        Assert.Equal("networks/a", entry.Key);
        Assert.Equal("one", Text(entry));
        Assert.Equal((Base + 1, Base + 1, 1L), (entry.CreateRevision, entry.ModRevision, entry.Version));
    }

    [Fact]
    public async Task Overwrite_keeps_create_revision_and_bumps_mod_revision_and_version()
    {
        await Store.PutAsync("networks/a", Bytes("one"));
        await Store.PutAsync("networks/b", Bytes("other"));
        var revision = await Store.PutAsync("networks/a", Bytes("two"));

        var entry = await Store.GetAsync("networks/a");
        Assert.Equal(Base + 3, revision);
        Assert.Equal("two", Text(entry));
        Assert.Equal((Base + 1, Base + 3, 2L), (entry!.CreateRevision, entry.ModRevision, entry.Version));
    }

    [Fact]
    public async Task Delete_removes_the_key_and_a_recreated_key_starts_over()
    {
        await Store.PutAsync("networks/a", Bytes("one"));
        Assert.True(await Store.DeleteAsync("networks/a"));
        Assert.Equal(Base + 2, await Store.GetRevisionAsync());
        Assert.Null(await Store.GetAsync("networks/a"));

        await Store.PutAsync("networks/a", Bytes("again"));
        var entry = await Store.GetAsync("networks/a");
        Assert.Equal((Base + 3, Base + 3, 1L), (entry!.CreateRevision, entry.ModRevision, entry.Version));
    }

    [Fact]
    public async Task Deleting_an_absent_key_returns_false_and_keeps_the_revision()
    {
        await Store.PutAsync("networks/a", Bytes("one"));
        Assert.False(await Store.DeleteAsync("networks/missing"));
        Assert.Equal(Base + 1, await Store.GetRevisionAsync());
    }

    [Fact]
    public async Task List_returns_exactly_the_prefix_in_key_order()
    {
        foreach (var key in new[] { "networks/c", "networks0", "networks/a", "network", "networks/b/x", "containers/a", "networks/b" })
        {
            await Store.PutAsync(key, Bytes(key));
        }

        var listed = await Store.ListAsync("networks/");

        Assert.Equal(["networks/a", "networks/b", "networks/b/x", "networks/c"], listed.Select(e => e.Key));
        Assert.All(listed, e => Assert.Equal(e.Key, Text(e)));
        Assert.Equal(7, (await Store.ListAsync("")).Count);
        Assert.Empty(await Store.ListAsync("volumes/"));
    }

    [Fact]
    public async Task Empty_and_binary_values_round_trip_and_are_copied()
    {
        var buffer = new byte[] { 0, 1, 2, 255 };
        await Store.PutAsync("blob", buffer);
        await Store.PutAsync("empty", ReadOnlyMemory<byte>.Empty);
        buffer[0] = 42;

        Assert.Equal(new byte[] { 0, 1, 2, 255 }, (await Store.GetAsync("blob"))!.Value.ToArray());
        Assert.Equal(0, (await Store.GetAsync("empty"))!.Value.Length);
    }

    [Fact]
    public async Task Empty_key_is_rejected()
    {
        var error = await Assert.ThrowsAsync<BerthException>(() => Store.PutAsync("", Bytes("x")));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public async Task Transaction_applies_success_branch_when_compares_hold()
    {
        await Store.PutAsync("a", Bytes("1"));
        var result = await Store.TransactAsync(new StoreTransaction
        {
            Compares = [new StoreCompare("a", Base + 1), new StoreCompare("b", 0)],
            Success = [StoreOperation.Put("a", Bytes("2")), StoreOperation.Put("b", Bytes("new")), StoreOperation.Delete("absent")],
            Failure = [StoreOperation.Put("failed", Bytes("x"))],
        });

        Assert.Equal(new StoreTransactionResult(true, Base + 2), result);
        Assert.Equal("2", Text(await Store.GetAsync("a")));
        Assert.Equal(Base + 2, (await Store.GetAsync("b"))!.CreateRevision);
        Assert.Null(await Store.GetAsync("failed"));
    }

    [Fact]
    public async Task Transaction_applies_failure_branch_and_nothing_of_success_when_a_compare_fails()
    {
        await Store.PutAsync("a", Bytes("1"));
        await Store.PutAsync("b", Bytes("1"));
        var result = await Store.TransactAsync(new StoreTransaction
        {
            Compares = [new StoreCompare("a", Base + 1), new StoreCompare("b", Base + 1)],
            Success = [StoreOperation.Put("a", Bytes("2")), StoreOperation.Delete("b"), StoreOperation.Put("c", Bytes("x"))],
            Failure = [StoreOperation.Put("failed", Bytes("x"))],
        });

        Assert.Equal(new StoreTransactionResult(false, Base + 3), result);
        Assert.Equal("1", Text(await Store.GetAsync("a")));
        Assert.Equal("1", Text(await Store.GetAsync("b")));
        Assert.Null(await Store.GetAsync("c"));
        Assert.Equal("x", Text(await Store.GetAsync("failed")));
    }

    [Fact]
    public async Task Failed_compare_with_empty_failure_branch_changes_nothing()
    {
        await Store.PutAsync("a", Bytes("1"));
        var result = await Store.TransactAsync(new StoreTransaction
        {
            Compares = [new StoreCompare("a", 0)],
            Success = [StoreOperation.Put("a", Bytes("2")), StoreOperation.Put("b", Bytes("2"))],
        });

        Assert.Equal(new StoreTransactionResult(false, Base + 1), result);
        Assert.Equal(Base + 1, await Store.GetRevisionAsync());
        Assert.Equal(["a"], (await Store.ListAsync("")).Select(e => e.Key));
    }

    [Fact]
    public async Task Create_if_absent_succeeds_once()
    {
        var create = new StoreTransaction
        {
            Compares = [new StoreCompare("networks/a", 0)],
            Success = [StoreOperation.Put("networks/a", Bytes("first"))],
        };

        Assert.True((await Store.TransactAsync(create)).Succeeded);
        Assert.False((await Store.TransactAsync(create with { Success = [StoreOperation.Put("networks/a", Bytes("second"))] })).Succeeded);
        Assert.Equal("first", Text(await Store.GetAsync("networks/a")));
    }

    [Fact]
    public async Task Update_if_unchanged_fails_on_a_stale_revision()
    {
        await Store.PutAsync("a", Bytes("1"));
        var seen = (await Store.GetAsync("a"))!.ModRevision;
        await Store.PutAsync("a", Bytes("changed by someone else"));

        var result = await Store.TransactAsync(new StoreTransaction
        {
            Compares = [new StoreCompare("a", seen)],
            Success = [StoreOperation.Put("a", Bytes("mine"))],
        });

        Assert.False(result.Succeeded);
        Assert.Equal("changed by someone else", Text(await Store.GetAsync("a")));
    }

    [Fact]
    public async Task Writing_a_key_twice_in_one_branch_is_rejected_and_applies_nothing()
    {
        var error = await Assert.ThrowsAsync<BerthException>(() => Store.TransactAsync(new StoreTransaction
        {
            Success = [StoreOperation.Put("b", Bytes("1")), StoreOperation.Put("a", Bytes("1")), StoreOperation.Delete("a")],
        }));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("\"a\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(Base, await Store.GetRevisionAsync());
        Assert.Null(await Store.GetAsync("b"));
    }

    [Fact]
    public async Task Watch_replays_changes_after_a_revision_then_streams_new_ones()
    {
        await Store.PutAsync("networks/a", Bytes("1"));
        var afterFirst = await Store.PutAsync("networks/b", Bytes("1"));
        await Store.PutAsync("networks/a", Bytes("2"));
        await Store.DeleteAsync("networks/b");

        var watch = Watching.TakeAsync(Store.WatchAsync("networks/", afterFirst), 3);
        await Store.PutAsync("networks/c", Bytes("live"));
        var events = await watch;

        Assert.Equal(
            [(StoreEventKind.Put, "networks/a", Base + 3), (StoreEventKind.Delete, "networks/b", Base + 4), (StoreEventKind.Put, "networks/c", Base + 5)],
            events.Select(e => (e.Kind, e.Key, e.Revision)));
        Assert.Equal("2", Text(events[0].Entry));
        Assert.Equal(2, events[0].Entry!.Version);
        Assert.Null(events[1].Entry);
        Assert.Equal("live", Text(events[2].Entry));
    }

    [Fact]
    public async Task Watch_from_now_sees_writes_made_after_the_call_and_only_under_its_prefix()
    {
        await Store.PutAsync("networks/old", Bytes("before"));
        var watch = Store.WatchAsync("networks/");
        await Store.PutAsync("containers/x", Bytes("other prefix"));
        await Store.PutAsync("networks0", Bytes("not under networks/"));
        await Store.TransactAsync(new StoreTransaction
        {
            Success = [StoreOperation.Put("networks/a", Bytes("a")), StoreOperation.Put("volumes/v", Bytes("v")), StoreOperation.Delete("networks/old")],
        });

        var events = await Watching.TakeAsync(watch, 2);

        Assert.Equal([(StoreEventKind.Put, "networks/a", Base + 4), (StoreEventKind.Delete, "networks/old", Base + 4)], events.Select(e => (e.Kind, e.Key, e.Revision)));
    }

    [Fact]
    public async Task Two_watches_each_see_every_change()
    {
        var revision = await Store.GetRevisionAsync();
        var first = Watching.TakeAsync(Store.WatchAsync("", revision), 10);
        var second = Watching.TakeAsync(Store.WatchAsync("k", revision), 10);
        for (var i = 0; i < 10; i++)
        {
            await Store.PutAsync($"k{i}", Bytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(i => Base + i), (await first).Select(e => e.Revision));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => Base + i), (await second).Select(e => e.Revision));
    }

    [Fact]
    public async Task Cancelling_a_watch_ends_it()
    {
        using var cancellation = new CancellationTokenSource();
        var watch = Store.WatchAsync("", cancellationToken: cancellation.Token).GetAsyncEnumerator();
        var next = watch.MoveNextAsync().AsTask();
        await Task.Yield();
        Assert.False(next.IsCompleted);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next).WaitAsync(Watching.Deadline);
        await watch.DisposeAsync();
        await Store.PutAsync("after", Bytes("writers are unaffected"));
    }

    [Fact]
    public async Task Disposing_the_store_ends_watches_quietly()
    {
        var watch = Store.WatchAsync("").GetAsyncEnumerator();
        var next = watch.MoveNextAsync().AsTask();

        await Store.DisposeAsync();

        Assert.False(await next.WaitAsync(Watching.Deadline));
        await watch.DisposeAsync();
    }

    [Fact]
    public async Task Watch_from_a_revision_no_longer_kept_asks_the_caller_to_relist()
    {
        await Store.PutAsync("first", Bytes("1"));
        var many = Enumerable.Range(0, WatchHub.HistoryCapacity + 1).Select(i => StoreOperation.Put($"bulk/{i:D5}", Bytes("x"))).ToImmutableArray();
        var bulk = (await Store.TransactAsync(new StoreTransaction { Success = many })).Revision;
        await ForgetHistoryAsync(bulk);

        var error = await Assert.ThrowsAsync<StoreWatchLostException>(() => Watching.TakeAsync(Store.WatchAsync("", Base + 1), 1));
        Assert.Equal(StoreWatchLostReason.Compacted, error.Reason);
        Assert.Equal(ErrorKind.Conflict, error.Kind);

        var live = Watching.TakeAsync(Store.WatchAsync("", bulk), 1);
        await Store.PutAsync("after", Bytes("1"));
        Assert.Equal("after", Assert.Single(await live).Key);
    }

    [Fact]
    public async Task A_watch_that_falls_behind_never_blocks_writers_and_never_silently_misses_a_change()
    {
        var slow = Store.WatchAsync("bulk/").GetAsyncEnumerator();
        var first = slow.MoveNextAsync().AsTask();
        Assert.False(first.IsCompleted);

        // More events than the watcher may buffer, in two writes; both must return.
        const int PerBatch = WatchHub.WatcherCapacity / 2 + 1;
        var written = new List<string>();
        for (var batch = 0; batch < 2; batch++)
        {
            var operations = Enumerable.Range(0, PerBatch).Select(i => StoreOperation.Put($"bulk/{batch}/{i:D5}", Bytes("x"))).ToImmutableArray();
            await Store.TransactAsync(new StoreTransaction { Success = operations }).WaitAsync(Watching.Deadline);
            written.AddRange(operations.Select(o => o.Key));
        }

        var received = new List<string>();
        using var deadline = new CancellationTokenSource(Watching.Deadline);
        var error = await Record.ExceptionAsync(async () =>
        {
            var more = await first;
            while (more)
            {
                received.Add(slow.Current.Key);
                if (received.Count == written.Count)
                {
                    break;
                }

                more = await slow.MoveNextAsync().AsTask().WaitAsync(deadline.Token);
            }
        });
        await slow.DisposeAsync();

        if (SlowWatchersAreEnded)
        {
            // The reader may have taken one event before the buffer filled; it never gets them all.
            Assert.Equal(StoreWatchLostReason.Overflow, Assert.IsType<StoreWatchLostException>(error).Reason);
            Assert.InRange(received.Count, 1, written.Count - 1);
        }
        else
        {
            Assert.Null(error);
            Assert.Equal(written, received);
        }
    }

    [Fact]
    public async Task Fifty_parallel_compare_and_swap_increments_all_land()
    {
        const int Writers = 50;
        await Store.PutAsync("counter", Bytes("0"));

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var current = (await Store.GetAsync("counter"))!;
                var next = int.Parse(Text(current), System.Globalization.CultureInfo.InvariantCulture) + 1;
                var result = await Store.TransactAsync(new StoreTransaction
                {
                    Compares = [new StoreCompare("counter", current.ModRevision)],
                    Success = [StoreOperation.Put("counter", Bytes(next.ToString(System.Globalization.CultureInfo.InvariantCulture)))],
                });
                if (result.Succeeded)
                {
                    return;
                }
            }
        })));

        var counter = await Store.GetAsync("counter");
        Assert.Equal("50", Text(counter));
        Assert.Equal(Writers + 1, counter!.Version);
    }

    [Fact]
    public async Task Fifty_parallel_creates_of_distinct_keys_are_all_present_with_distinct_revisions()
    {
        const int Writers = 50;
        var results = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(() => Store.TransactAsync(new StoreTransaction
        {
            Compares = [new StoreCompare($"containers/{i:D2}", 0)],
            Success = [StoreOperation.Put($"containers/{i:D2}", Bytes("x"))],
        }))));

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(Enumerable.Range(1, Writers).Select(i => Base + i), results.Select(r => r.Revision).Order());
        var listed = await Store.ListAsync("containers/");
        Assert.Equal(Enumerable.Range(0, Writers).Select(i => $"containers/{i:D2}"), listed.Select(e => e.Key));
        Assert.Equal(Base + Writers, await Store.GetRevisionAsync());
    }
}
