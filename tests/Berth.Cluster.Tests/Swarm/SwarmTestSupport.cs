using System.Security.Cryptography;
using Berth.Cluster.Pki;
using Berth.Cluster.Swarm;

namespace Berth.Cluster.Tests.Swarm;

/// <summary>What the swarm's unit tests share: a joiner's request and a poll with a deadline.</summary>
internal static class SwarmTestSupport
{
    public static readonly SwarmHostFacts Host = new() { Hostname = "node1", EngineVersion = "27.0.0-berth" };

    /// <summary>A join request as a joiner at <paramref name="address"/> would send it (its store's id: <paramref name="store"/>).</summary>
    public static JoinRequest Request(string token, ECDsa key, string address, string? store = null) => new()
    {
        Token = token,
        SigningRequest = NodeKeys.CreateSigningRequestPem(key),
        Host = Host with { Hostname = "joiner" },
        AdvertiseAddress = address,
        ClusterStoreId = store,
    };

    /// <summary>True as soon as <paramref name="condition"/> holds; false when <paramref name="within"/> (10 s) passed first.</summary>
    public static async Task<bool> PollAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
