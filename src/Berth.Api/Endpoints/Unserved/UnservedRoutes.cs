using System.Collections.Immutable;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Berth.Api.Endpoints.Unserved;

/// <summary>
/// Docker's routes (moby v28.5.2, API 1.51: <c>api/swagger.yaml</c> and <c>api/server/router</c>) that Berth does
/// not serve, answered as Docker answers them on a node outside a swarm and without the feature — never the bare
/// 404 that clients take for "no such object". A route some endpoint class maps wins: <see cref="Map"/> skips
/// every entry whose method and pattern are already served, so serving a route (the real <c>/swarm/init</c>, say)
/// needs no change here. Paths Docker does not have, and known paths with a wrong method, stay the fallback's
/// 404 <c>page not found</c> (moby's <c>NotFoundHandler</c> and <c>MethodNotAllowedHandler</c> are the same one).
/// </summary>
internal static partial class UnservedRoutes
{
    /// <summary>moby <c>daemon/cluster</c> <c>errNoManager</c> for a node with no swarm (503).</summary>
    public const string NotASwarmManager =
        "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

    /// <summary>moby <c>errNoSwarm</c>: leaving a swarm the node never joined (503).</summary>
    public const string NotPartOfASwarm = "This node is not part of a swarm";

    /// <summary>moby <c>router/experimental.go</c>: an experimental route on a daemon without <c>--experimental</c> (501).</summary>
    public const string ExperimentalDisabled =
        "This experimental feature is disabled by default. Start the Docker daemon in experimental mode in order to enable it.";

    /// <summary>Every unserved route, swarm's first (the parts are built once, here: static initialisers of partials run in no fixed order).</summary>
    public static ImmutableArray<UnservedRoute> All { get; } = [.. Swarm, .. Containers, .. ImagesAndBuilds, .. Daemon, .. Plugins];

    /// <summary>Maps every entry of <see cref="All"/> that no endpoint mapped before it serves (call it last).</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        var served = Served(routes);
        foreach (UnservedRoute route in All)
        {
            if (!served.Contains(Key(route.Method, route.Pattern)))
            {
                routes.MapMethods(route.Pattern, [route.Method], route.Answer);
            }
        }
    }

    /// <summary>Method and pattern of every mapped endpoint, parameter names left out.</summary>
    private static HashSet<string> Served(IEndpointRouteBuilder routes)
    {
        var served = new HashSet<string>(StringComparer.Ordinal);
        foreach (RouteEndpoint endpoint in routes.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>())
        {
            string pattern = endpoint.RoutePattern.RawText ?? "";
            foreach (string method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                served.Add(Key(method, pattern));
            }
        }

        return served;
    }

    /// <summary><c>GET /containers/{id}/top</c> and <c>GET /containers/{name}/top</c> are one route (also the API fuzzer's route key).</summary>
    internal static string Key(string method, string pattern)
    {
        RoutePattern parsed = RoutePatternFactory.Parse(pattern);
        IEnumerable<string> segments = parsed.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => parameter.IsCatchAll ? "{**}" : "{}",
            _ => "?",
        })));
        return method.ToUpperInvariant() + " /" + string.Join('/', segments);
    }

    private static ImmutableArray<UnservedRoute> Swarm =>
    [
        // Until the cluster is built, init and join say so honestly; the real handlers replace these by being mapped.
        UnservedRoute.Refuse(HttpMethods.Post, "/swarm/init", ErrorKind.NotSupported,
            "swarm mode is being built into Berth: docker swarm init is not available yet (POST /swarm/init); run Berth's containers without a swarm for now"),
        UnservedRoute.Refuse(HttpMethods.Post, "/swarm/join", ErrorKind.NotSupported,
            "swarm mode is being built into Berth: docker swarm join is not available yet (POST /swarm/join); run Berth's containers without a swarm for now"),
        UnservedRoute.Refuse(HttpMethods.Post, "/swarm/leave", ErrorKind.Unavailable, NotPartOfASwarm),
        Manager(HttpMethods.Get, "/swarm"),
        Manager(HttpMethods.Post, "/swarm/update"),
        Manager(HttpMethods.Get, "/swarm/unlockkey"),
        Manager(HttpMethods.Post, "/swarm/unlock"),
        Manager(HttpMethods.Get, "/nodes"),
        Manager(HttpMethods.Get, "/nodes/{id}"),
        Manager(HttpMethods.Delete, "/nodes/{id}"),
        Manager(HttpMethods.Post, "/nodes/{id}/update"),
        Manager(HttpMethods.Get, "/services"),
        Manager(HttpMethods.Post, "/services/create"),
        Manager(HttpMethods.Get, "/services/{id}"),
        Manager(HttpMethods.Delete, "/services/{id}"),
        Manager(HttpMethods.Post, "/services/{id}/update"),
        Manager(HttpMethods.Get, "/services/{id}/logs"),
        Manager(HttpMethods.Get, "/tasks"),
        Manager(HttpMethods.Get, "/tasks/{id}"),
        Manager(HttpMethods.Get, "/tasks/{id}/logs"),
        Manager(HttpMethods.Get, "/secrets"),
        Manager(HttpMethods.Post, "/secrets/create"),
        Manager(HttpMethods.Get, "/secrets/{id}"),
        Manager(HttpMethods.Delete, "/secrets/{id}"),
        Manager(HttpMethods.Post, "/secrets/{id}/update"),
        Manager(HttpMethods.Get, "/configs"),
        Manager(HttpMethods.Post, "/configs/create"),
        Manager(HttpMethods.Get, "/configs/{id}"),
        Manager(HttpMethods.Delete, "/configs/{id}"),
        Manager(HttpMethods.Post, "/configs/{id}/update"),

        // Cluster volumes: moby's volume router checks for a manager first.
        UnservedRoute.Refuse(HttpMethods.Put, "/volumes/{name}", ErrorKind.Unavailable, "volume update only valid for cluster volumes, but swarm is unavailable"),
    ];

    private static ImmutableArray<UnservedRoute> Containers =>
    [
        UnservedRoute.NotYet(HttpMethods.Get, "/containers/{id}/attach/ws", "attaching over a websocket", "use docker attach, which attaches on the API socket itself"),

        // Checkpoints are experimental in moby: a daemon without --experimental (Berth's Docker-Experimental: false) refuses them so.
        UnservedRoute.Refuse(HttpMethods.Get, "/containers/{id}/checkpoints", ErrorKind.NotSupported, ExperimentalDisabled),
        UnservedRoute.Refuse(HttpMethods.Post, "/containers/{id}/checkpoints", ErrorKind.NotSupported, ExperimentalDisabled),
        UnservedRoute.Refuse(HttpMethods.Delete, "/containers/{id}/checkpoints/{checkpoint}", ErrorKind.NotSupported, ExperimentalDisabled),
    ];

    private static ImmutableArray<UnservedRoute> ImagesAndBuilds =>
    [
        UnservedRoute.NotYet(HttpMethods.Get, "/images/search", "searching a registry", "search on the registry's web site or through its own API"),
        UnservedRoute.NotYet(HttpMethods.Post, "/build", "building images", "build with BuildKit or buildah elsewhere and bring the image in with docker load"),
        UnservedRoute.NotYet(HttpMethods.Post, "/build/prune", "the build cache", "the classic builder's cache is untagged images: docker image prune"),
        UnservedRoute.NotYet(HttpMethods.Post, "/build/cancel", "cancelling a build by id (a BuildKit feature)", "interrupt the client: the classic builder stops when the connection closes"),
        UnservedRoute.NotYet(HttpMethods.Post, "/session", "BuildKit sessions", "build with BuildKit or buildah elsewhere and bring the image in with docker load"),
        UnservedRoute.NotYet(HttpMethods.Post, "/grpc", "BuildKit's gRPC endpoint", "build with BuildKit or buildah elsewhere and bring the image in with docker load"),
    ];

    private static ImmutableArray<UnservedRoute> Daemon =>
    [
        UnservedRoute.NotYet(HttpMethods.Get, "/system/df", "disk usage reports", "measure berthd's --root directory with du"),

        // moby answers OPTIONS on any path with an empty 200 (its system router's optionsHandler, for CORS preflights).
        new(HttpMethods.Options, "/{**path}", StatusCodes.Status200OK, _ => Task.CompletedTask),
    ];

    private static UnservedRoute Manager(string method, string pattern) => UnservedRoute.Refuse(method, pattern, ErrorKind.Unavailable, NotASwarmManager);
}
