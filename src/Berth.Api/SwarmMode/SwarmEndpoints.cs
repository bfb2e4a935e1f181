using System.Collections.Immutable;
using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Network.Networks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.SwarmMode;

/// <summary>
/// <c>/swarm</c> and <c>/nodes</c> (moby <c>api/server/router/swarm</c>) over <see cref="ISwarm"/>. Outside a swarm,
/// and on a worker for the cluster's routes, <see cref="ISwarm"/> answers Docker's 503s itself.
/// </summary>
/// <param name="ingressWait">How long <c>swarm init</c> waits for the leader to make the <c>ingress</c> network (Docker's init returns with it made).</param>
internal sealed class SwarmEndpoints(ISwarm swarm, INetworkService networks, TimeSpan ingressWait)
{
    private const string IdRouteValue = "id";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/swarm/init", InitAsync);
        routes.MapPost("/swarm/join", JoinAsync);
        routes.MapPost("/swarm/leave", LeaveAsync);
        routes.MapGet("/swarm", InspectAsync);
        routes.MapPost("/swarm/update", UpdateAsync);
        routes.MapGet("/nodes", ListNodesAsync);
        routes.MapGet("/nodes/{id}", InspectNodeAsync);
        routes.MapPost("/nodes/{id}/update", UpdateNodeAsync);
        routes.MapDelete("/nodes/{id}", RemoveNodeAsync);
    }

    private async Task InitAsync(HttpContext context)
    {
        var request = await DockerJson.ReadAsync(context.Request, DockerJson.Context.SwarmInitRequest);
        var options = new SwarmInitOptions
        {
            ListenAddress = string.IsNullOrEmpty(request.ListenAddr) ? "0.0.0.0:2377" : request.ListenAddr,
            AdvertiseAddress = request.AdvertiseAddr,
            DataPathAddress = request.DataPathAddr,
            DefaultAddrPool = request.DefaultAddrPool is { Count: > 0 } pool ? [.. pool] : [],
            SubnetSize = (int)request.SubnetSize,
            DataPathPort = (int)request.DataPathPort,
            Spec = SwarmContractMapper.ToSpec(request.Spec, new ClusterSpecRecord()) with { AutoLockManagers = request.AutoLockManagers },
            Availability = SwarmContractMapper.ParseAvailability(request.Availability),
            ForceNewCluster = request.ForceNewCluster,
        };
        var node = await swarm.InitAsync(options, context.RequestAborted);
        await WaitForIngressAsync(context.RequestAborted);
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, node.Value, DockerJson.Context.String);
    }

    /// <summary>
    /// Until the new swarm's <c>ingress</c> network is there (made in the background once the network layer follows the
    /// swarm), so that what runs next after <c>swarm init</c> finds it, as after Docker's; bounded: a slow start only
    /// makes it appear a little later.
    /// </summary>
    private async Task WaitForIngressAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ingressWait;
        while (DateTime.UtcNow < deadline)
        {
            if ((await networks.ListAsync(cancellationToken)).Any(n => n.Config.Ingress))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    private async Task JoinAsync(HttpContext context)
    {
        var request = await DockerJson.ReadAsync(context.Request, DockerJson.Context.SwarmJoinRequest);
        await swarm.JoinAsync(new SwarmJoinOptions
        {
            Token = request.JoinToken,
            RemoteAddresses = request.RemoteAddrs is { } remotes ? [.. remotes] : [],
            ListenAddress = string.IsNullOrEmpty(request.ListenAddr) ? "0.0.0.0:2377" : request.ListenAddr,
            AdvertiseAddress = request.AdvertiseAddr,
            DataPathAddress = request.DataPathAddr,
            Availability = SwarmContractMapper.ParseAvailability(request.Availability),
        }, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task LeaveAsync(HttpContext context)
    {
        await swarm.LeaveAsync(QueryBool.Get(context.Request, "force"), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task InspectAsync(HttpContext context)
    {
        var view = await swarm.InspectAsync(context.RequestAborted);
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, SwarmContractMapper.ToSwarm(view), DockerJson.Context.Swarm);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        long version = SwarmObjectVersion.Parse(context.Request, "swarm");
        var spec = await DockerJson.ReadAsync(context.Request, DockerJson.Context.ClusterSpec);
        var current = await swarm.InspectAsync(context.RequestAborted);
        await swarm.UpdateAsync(version, new SwarmUpdate(
            SwarmContractMapper.ToSpec(spec, current.Record.Spec),
            QueryBool.Get(context.Request, "rotateWorkerToken"),
            QueryBool.Get(context.Request, "rotateManagerToken"))
        {
            SigningCaCertificate = spec.CAConfig.SigningCACert,
            SigningCaKey = spec.CAConfig.SigningCAKey,
        }, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task ListNodesAsync(HttpContext context)
    {
        var nodes = await swarm.ListNodesAsync(context.RequestAborted);
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, nodes.Select(SwarmContractMapper.ToNode).ToList(), DockerJson.Context.ListNode);
    }

    private async Task InspectNodeAsync(HttpContext context)
    {
        var node = await swarm.GetNodeAsync(RouteId(context), context.RequestAborted);
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, SwarmContractMapper.ToNode(node), DockerJson.Context.Node);
    }

    private async Task UpdateNodeAsync(HttpContext context)
    {
        long version = SwarmObjectVersion.Parse(context.Request, "swarm");
        var spec = await DockerJson.ReadAsync(context.Request, DockerJson.Context.NodeSpec);
        await swarm.UpdateNodeAsync(RouteId(context), version, SwarmContractMapper.ToSpecChange(spec), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task RemoveNodeAsync(HttpContext context)
    {
        await swarm.RemoveNodeAsync(RouteId(context), QueryBool.Get(context.Request, "force"), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static string RouteId(HttpContext context) => (string)context.Request.RouteValues[IdRouteValue]!;
}
