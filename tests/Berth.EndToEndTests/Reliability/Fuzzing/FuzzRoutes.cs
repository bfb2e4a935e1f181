using System.Collections.Immutable;
using B = Berth.Fuzzing.FuzzBody;

namespace Berth.Fuzzing;

/// <summary>
/// Every route berthd serves (src/Berth.Api: the endpoint classes' <c>Map</c> methods and the unserved-route table).
/// Berth.Api.Tests' <c>FuzzRouteTableTests</c> fails when the API maps a route this table lacks, so a new route is
/// fuzzed from the day it is added.
/// </summary>
public static class FuzzRoutes
{
    public static ImmutableArray<FuzzRoute> All { get; } =
    [
        // System.
        new("GET", "/_ping"), new("HEAD", "/_ping"), new("GET", "/version"), new("GET", "/info"), new("GET", "/events"),
        new("GET", "/system/df"), new("POST", "/auth", B.Login, Slow: true), new("POST", "/session"), new("POST", "/grpc"),
        new("GET", "/berth/doctor", Slow: true), new("GET", "/berth/topology"), new("OPTIONS", "/{**path}"),

        // Containers.
        new("GET", "/containers/json"), new("POST", "/containers/create", B.ContainerCreate), new("POST", "/containers/prune"),
        new("GET", "/containers/{id}/json"), new("GET", "/containers/{id}/top"), new("GET", "/containers/{id}/logs"),
        new("GET", "/containers/{id}/changes"), new("GET", "/containers/{id}/export"), new("GET", "/containers/{id}/stats"),
        new("POST", "/containers/{id}/start"), new("POST", "/containers/{id}/stop"), new("POST", "/containers/{id}/restart"),
        new("POST", "/containers/{id}/kill"), new("POST", "/containers/{id}/pause"), new("POST", "/containers/{id}/unpause"),
        new("POST", "/containers/{id}/update", B.ContainerUpdate), new("POST", "/containers/{id}/rename"),
        new("POST", "/containers/{id}/resize"), new("POST", "/containers/{id}/wait"), new("DELETE", "/containers/{id}"),
        new("DELETE", "/containers/{**link}"),
        new("GET", "/containers/{id}/archive"), new("HEAD", "/containers/{id}/archive"), new("PUT", "/containers/{id}/archive", B.ArchiveTar),
        new("POST", "/containers/{id}/exec", B.ExecCreate), new("GET", "/containers/{id}/attach/ws"),
        new("GET", "/containers/{id}/checkpoints"), new("POST", "/containers/{id}/checkpoints"), new("DELETE", "/containers/{id}/checkpoints/{checkpoint}"),
        new("POST", "/commit", B.Commit),

        // Exec.
        new("POST", "/exec/{id}/start", B.ExecStart), new("POST", "/exec/{id}/resize"), new("GET", "/exec/{id}/json"),

        // Images and builds.
        new("GET", "/images/json"), new("POST", "/images/create", B.ImageTar), new("POST", "/images/load", B.ImageTar), new("GET", "/images/get"),
        new("POST", "/images/prune"), new("GET", "/images/search"), new("GET", "/images/{**rest}"), new("POST", "/images/{**rest}"),
        new("DELETE", "/images/{**rest}"), new("GET", "/distribution/{**rest}"),
        new("POST", "/build", B.BuildTar), new("POST", "/build/prune"), new("POST", "/build/cancel"),

        // Networks.
        new("GET", "/networks"), new("GET", "/networks/{id}"), new("POST", "/networks/create", B.NetworkCreate), new("POST", "/networks/prune"),
        new("POST", "/networks/{id}/connect", B.NetworkConnect), new("POST", "/networks/{id}/disconnect", B.NetworkConnect), new("DELETE", "/networks/{id}"),

        // Volumes.
        new("GET", "/volumes"), new("GET", "/volumes/{name}"), new("POST", "/volumes/create", B.VolumeCreate), new("POST", "/volumes/prune"),
        new("PUT", "/volumes/{name}", B.VolumeCreate), new("DELETE", "/volumes/{name}"),

        // Swarm: init and join would change what the daemon is, so only invalid bodies go there.
        new("GET", "/swarm"), new("POST", "/swarm/init", B.SwarmSpec, ValidBodies: false), new("POST", "/swarm/join", B.SwarmSpec, ValidBodies: false),
        new("POST", "/swarm/leave"), new("POST", "/swarm/update", B.SwarmSpec), new("GET", "/swarm/unlockkey"), new("POST", "/swarm/unlock"),
        new("GET", "/nodes"), new("GET", "/nodes/{id}"), new("POST", "/nodes/{id}/update", B.NodeSpec), new("DELETE", "/nodes/{id}"),
        new("GET", "/services"), new("POST", "/services/create", B.ServiceSpec), new("GET", "/services/{id}"), new("POST", "/services/{id}/update", B.ServiceSpec),
        new("DELETE", "/services/{id}"), new("GET", "/services/{id}/logs"),
        new("GET", "/tasks"), new("GET", "/tasks/{id}"), new("GET", "/tasks/{id}/logs"), new("GET", "/tasks/{id}/files"),
        new("GET", "/secrets"), new("POST", "/secrets/create", B.SecretSpec), new("GET", "/secrets/{id}"), new("POST", "/secrets/{id}/update", B.SecretSpec),
        new("DELETE", "/secrets/{id}"),
        new("GET", "/configs"), new("POST", "/configs/create", B.SecretSpec), new("GET", "/configs/{id}"), new("POST", "/configs/{id}/update", B.SecretSpec),
        new("DELETE", "/configs/{id}"),

        // Plugins (none installed: Docker's answers for that).
        new("GET", "/plugins"), new("GET", "/plugins/privileges"), new("POST", "/plugins/pull"), new("POST", "/plugins/create"),
        new("GET", "/plugins/{**name}"), new("POST", "/plugins/{**name}"), new("DELETE", "/plugins/{**name}"),
    ];
}
