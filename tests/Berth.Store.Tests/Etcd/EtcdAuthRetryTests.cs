using Berth.Store;
using Grpc.Core;

namespace Berth.Store.Tests.Etcd;

/// <summary>etcd's "revision of auth store is old" (a request that raced a change of users or roles) is sent again; other refusals are not.</summary>
public sealed class EtcdAuthRetryTests
{
    [Fact]
    public async Task ARequestThatRacedAnAuthChangeIsSentAgain()
    {
        int calls = 0;
        int answer = await EtcdConnection.RetryingAuthOldAsync(() =>
        {
            calls++;
            return calls < 3
                ? throw new RpcException(new Status(StatusCode.InvalidArgument, "etcdserver: revision of auth store is old"))
                : Task.FromResult(42);
        }, DateTime.UtcNow.AddSeconds(10), CancellationToken.None);

        Assert.Equal((42, 3), (answer, calls));
    }

    [Fact]
    public async Task OtherRefusalsAndTheDeadlineEndIt()
    {
        int calls = 0;
        var refused = await Assert.ThrowsAsync<RpcException>(() => EtcdConnection.RetryingAuthOldAsync<int>(() =>
        {
            calls++;
            throw new RpcException(new Status(StatusCode.InvalidArgument, "etcdserver: key is not provided"));
        }, DateTime.UtcNow.AddSeconds(10), CancellationToken.None));
        Assert.Equal((1, "etcdserver: key is not provided"), (calls, refused.Status.Detail));

        await Assert.ThrowsAsync<RpcException>(() => EtcdConnection.RetryingAuthOldAsync<int>(
            () => throw new RpcException(new Status(StatusCode.InvalidArgument, "etcdserver: revision of auth store is old")),
            DateTime.UtcNow.AddMilliseconds(100), CancellationToken.None));
    }
}
