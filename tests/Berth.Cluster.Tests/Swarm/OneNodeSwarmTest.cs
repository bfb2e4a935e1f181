using Berth.Cluster.Swarm;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Cluster.Tests.Swarm;

/// <summary>A swarm node over an in-memory cluster, its files in a fresh temporary folder removed afterwards.</summary>
public abstract class OneNodeSwarmTest(TimeProvider time) : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "berth-swarm-node-" + Guid.NewGuid().ToString("N"));

    protected InMemoryClusterBackend Cluster { get; } = new();

    protected SwarmNode Node { get; private set; } = null!;

    protected SwarmPaths Paths => SwarmPaths.Under(_root);

    public Task InitializeAsync()
    {
        Node = new SwarmNode(Paths, SwarmTestSupport.Host, Cluster, joinListener: null, time, NullLogger.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
