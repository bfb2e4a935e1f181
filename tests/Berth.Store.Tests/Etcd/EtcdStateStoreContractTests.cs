namespace Berth.Store.Tests.Etcd;

/// <summary>The shared <see cref="IStateStore"/> contract against a real etcd; each test under its own prefix.</summary>
public sealed class EtcdStateStoreContractTests : StateStoreContractTests, IClassFixture<EtcdFixture>
{
    private readonly EtcdFixture _fixture;

    public EtcdStateStoreContractTests(EtcdFixture fixture)
    {
        _fixture = fixture;
    }

    protected override bool SlowWatchersAreEnded => false;

    protected override async Task<IStateStore> CreateStoreAsync() => await EtcdStateStore.ConnectAsync(_fixture.Options());

    // etcd keeps the compaction revision itself, so compacting at the bulk write would still replay it: a write
    // outside this store's prefix (as another user of a shared etcd makes) moves the revision past it first.
    protected override async Task ForgetHistoryAsync(long revision)
    {
        await using var neighbour = await EtcdStateStore.ConnectAsync(_fixture.Options());
        var past = await neighbour.PutAsync("neighbour", "x"u8.ToArray());
        Assert.Equal(revision + 1, past);
        await ((EtcdStateStore)Store).CompactAsync(past);
    }
}
