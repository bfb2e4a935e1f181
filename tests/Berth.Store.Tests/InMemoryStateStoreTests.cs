namespace Berth.Store.Tests;

public sealed class InMemoryStateStoreTests : StateStoreContractTests
{
    protected override Task<IStateStore> CreateStoreAsync() => Task.FromResult<IStateStore>(new InMemoryStateStore());
}
