namespace Berth.Runtime.Build;

/// <summary>
/// A build's network while it runs: what its <c>RUN</c> steps join and the resolv.conf they get. Disposing releases the
/// endpoint and namespace it holds (nothing for host and none); never cancelled, so nothing is left behind.
/// </summary>
public sealed class BuildNetworkLease : IAsyncDisposable
{
    private readonly Func<Task>? _release;
    private int _released;

    internal BuildNetworkLease(BuildNetwork network, string? resolvConf, Func<Task>? release)
    {
        Network = network;
        ResolvConf = resolvConf;
        _release = release;
    }

    public BuildNetwork Network { get; }

    /// <summary>The steps' /etc/resolv.conf; null copies the host's (host networking).</summary>
    public string? ResolvConf { get; }

    public async ValueTask DisposeAsync()
    {
        if (_release is not null && Interlocked.Exchange(ref _released, 1) == 0)
        {
            await _release().ConfigureAwait(false);
        }
    }
}
