using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Api.Networks;
using Berth.Api.Versioning;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Networks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Endpoints;

/// <summary>The <c>/networks</c> routes: translate HTTP to <see cref="INetworkService"/> calls and back.</summary>
/// <param name="containersOf">A network's running containers (inspect's <c>Containers</c>); null without a container layer.</param>
/// <param name="peersOf">The nodes with endpoints on a swarm-scoped network (<c>verbose</c>); null: none known.</param>
/// <param name="encryptionOf">An encrypted network's data path counters on this node (<c>verbose</c>); null: none.</param>
internal sealed class NetworkEndpoints(INetworkService networks, TimeProvider time, Func<NetworkState, Dictionary<string, NetworkContainer>>? containersOf = null,
    Func<NetworkState, IReadOnlyList<(string Name, string Address)>>? peersOf = null, Func<NetworkState, IReadOnlyDictionary<string, long>?>? encryptionOf = null)
{
    private const string IdRouteValue = "id";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/networks/create", CreateAsync);
        routes.MapPost("/networks/prune", PruneAsync);
        routes.MapGet("/networks", ListAsync);
        routes.MapGet("/networks/{id}", InspectAsync);
        routes.MapDelete("/networks/{id}", DeleteAsync);
    }

    private async Task CreateAsync(HttpContext context)
    {
        NetworkCreateRequest request = await DockerJson.ReadAsync(context.Request, DockerJson.Context.NetworkCreateRequest);
        NetworkConfig config = NetworkRequestMapper.ToConfig(request);

        // Below 1.44 a duplicate name is refused only when CheckDuplicate is true (Go's zero value, false,
        // when absent); from 1.44 the field is gone and duplicates are always refused.
        ApiVersion version = context.Features.GetRequiredFeature<RequestedApiVersion>().Version;
        bool checkDuplicate = version >= ApiVersion.AlwaysCheckDuplicate || request.CheckDuplicate == true;

        NetworkState created = await networks.CreateAsync(config, checkDuplicate, context.RequestAborted);
        var response = new NetworkCreateResponse { Id = created.Id.Value, Warning = "" };
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status201Created, response, DockerJson.Context.NetworkCreateResponse);
    }

    private async Task ListAsync(HttpContext context)
    {
        var filter = NetworkListFilter.Create(FilterArgs.Parse(context.Request.Query["filters"]));
        IReadOnlyList<NetworkState> all = await networks.ListAsync(context.RequestAborted);
        List<Contracts.Network> result = [.. all.Where(n => filter.Matches(n, InUse)).Select(NetworkResponseMapper.ToNetwork)];
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, result, DockerJson.Context.ListNetwork);
    }

    /// <summary><c>verbose</c> adds a swarm-scoped network's peers (services come with the services issue); local networks have none.</summary>
    private async Task InspectAsync(HttpContext context)
    {
        string id = RouteId(context);
        bool verbose = QueryBool.Get(context.Request, "verbose");
        string scope = context.Request.Query["scope"].ToString();

        NetworkState network = await networks.GetAsync(id, context.RequestAborted);
        if (scope.Length > 0 && network.Config.Scope != scope)
        {
            throw new BerthException(ErrorKind.NotFound, $"network {id} not found");
        }

        var response = NetworkResponseMapper.ToNetwork(network);
        response.Containers = containersOf?.Invoke(network) ?? [];
        if (verbose && network.Config.Scope == NetworkRequestMapper.SwarmScope)
        {
            response.Peers = [.. (peersOf?.Invoke(network) ?? []).Select(peer => new PeerInfo { Name = peer.Name, IP = peer.Address })];
            if (encryptionOf?.Invoke(network) is { } counters)
            {
                response.Encryption = new SortedDictionary<string, long>(counters.ToDictionary(), StringComparer.Ordinal);
            }
        }

        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, response, DockerJson.Context.Network);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        await networks.DeleteAsync(RouteId(context), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task PruneAsync(HttpContext context)
    {
        var filter = NetworkPruneFilter.Create(FilterArgs.Parse(context.Request.Query["filters"]), time.GetUtcNow());
        IReadOnlyList<NetworkState> removed = await networks.PruneAsync(filter.Matches, context.RequestAborted);
        var response = new NetworkPruneResponse { NetworksDeleted = removed.Count == 0 ? null : [.. removed.Select(n => n.Name)] };
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, response, DockerJson.Context.NetworkPruneResponse);
    }

    private bool InUse(NetworkState network) => containersOf?.Invoke(network).Count > 0;

    private static string RouteId(HttpContext context) => (string)context.Request.RouteValues[IdRouteValue]!;
}
