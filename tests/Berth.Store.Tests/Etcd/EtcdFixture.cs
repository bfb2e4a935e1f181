namespace Berth.Store.Tests.Etcd;

/// <summary>One etcd member shared by a test class; each test uses its own key prefix in it.</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    private EtcdProcess? _etcd;

    internal EtcdProcess Etcd => _etcd ?? throw new InvalidOperationException($"etcd is not installed at {EtcdProcess.Binary}: apt-get install etcd-server etcd-client (scripts/install-deps.sh does it for ./test.sh)");

    internal Uri ClientUrl => Etcd.ClientUrl;

    public async Task InitializeAsync()
    {
        // Without the binary, each test fails when it asks for Etcd (or is skipped by [EtcdFact] off CI).
        if (EtcdProcess.IsInstalled)
        {
            _etcd = await EtcdProcess.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }
    }

    /// <summary>Options for a store of its own: a fresh prefix, short deadlines.</summary>
    internal EtcdStoreOptions Options(params Uri[] endpoints) => new()
    {
        Endpoints = endpoints.Length == 0 ? [ClientUrl] : [.. endpoints],
        Prefix = $"/berth-test/{Guid.NewGuid():N}/",
        RequestTimeout = TimeSpan.FromSeconds(3),
        DialTimeout = TimeSpan.FromMilliseconds(500),
    };
}
