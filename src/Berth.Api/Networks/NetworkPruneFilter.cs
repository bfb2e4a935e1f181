using Berth.Api.Http;
using Berth.Core.Networks;

namespace Berth.Api.Networks;

/// <summary><c>POST /networks/prune?filters=</c>: moby's prune filters (<see cref="PruneFilter"/>) over a network's creation time and labels.</summary>
internal sealed class NetworkPruneFilter(PruneFilter filter)
{
    public static NetworkPruneFilter Create(FilterArgs filters, DateTimeOffset now) => new(PruneFilter.Create(filters, now));

    public bool Matches(NetworkState network) => filter.Matches(network.Created, network.Config.Labels);
}
