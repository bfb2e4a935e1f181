using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Networks;

namespace Berth.Diagnostics.Tests;

/// <summary>Networks as given, read-only: what the doctor's and the topology's unit tests look at.</summary>
internal sealed class StubNetworks(params NetworkState[] networks) : INetworkService
{
    public Task<IReadOnlyList<NetworkState>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<NetworkState>>(networks);

    public Task<NetworkState> GetAsync(string idOrName, CancellationToken cancellationToken = default) =>
        Task.FromResult(networks.FirstOrDefault(n => n.Name == idOrName || n.Id.Value == idOrName)
            ?? throw new BerthException(ErrorKind.NotFound, $"network {idOrName} not found"));

    public Task<NetworkState> CreateAsync(NetworkConfig config, bool checkDuplicate = true, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task DeleteAsync(string idOrName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<NetworkState>> PruneAsync(Func<NetworkState, bool> predicate, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
