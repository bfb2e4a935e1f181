namespace Berth.Store.Tests;

public sealed class InMemoryStateStoreTests : StateStoreContractTests
{
    protected override Task<IStateStore> CreateStoreAsync() => Task.FromResult<IStateStore>(new InMemoryStateStore());

    [Fact]
    public async Task A_new_store_starts_at_revision_zero() => Assert.Equal(0, await Store.GetRevisionAsync());
}
