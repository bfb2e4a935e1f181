using System.Collections.Immutable;
using Berth.Api.Hosting;
using Berth.Api.Versioning;

namespace Berth.Api;

/// <summary>How the Docker API is served: where (<c>-H</c>), who may connect, and what the daemon reports about itself.</summary>
public sealed record BerthApiOptions
{
    public const string DefaultHost = "unix:///run/berth/berth.sock";

    /// <summary>The group given access to unix sockets (mode 0660) when it exists; otherwise only root.</summary>
    public const string DefaultSocketGroup = "berth";

    /// <summary><c>-H</c> values; each <c>unix://</c> or <c>tcp://</c>.</summary>
    public ImmutableArray<string> Hosts { get; init; } = [DefaultHost];

    public string SocketGroup { get; init; } = DefaultSocketGroup;

    /// <summary>TLS on the <c>tcp://</c> listeners (<c>--tls</c>, <c>--tlsverify</c>); null: they speak plain HTTP.</summary>
    public ApiTls? Tls { get; init; }

    public required DaemonFacts Daemon { get; init; }

    /// <summary>The nodes with endpoints on a swarm-scoped network, as (name, tunnel address): <c>network inspect --verbose</c>. Null: none known.</summary>
    public Func<Core.Networks.NetworkState, IReadOnlyList<(string Name, string Address)>>? NetworkPeers { get; init; }

    /// <summary>An encrypted network's sealed data path counters on this node (<c>network inspect --verbose</c>). Null: none.</summary>
    public Func<Core.Networks.NetworkState, IReadOnlyDictionary<string, long>?>? NetworkEncryption { get; init; }

    /// <summary>The newest API version served, and the default for requests without <c>/v1.NN</c>; at most <see cref="ApiVersion.Maximum"/>.</summary>
    public ApiVersion MaxApiVersion { get; init; } = ApiVersion.Maximum;

    public ApiVersion MinApiVersion { get; init; } = ApiVersion.Minimum;

    /// <summary>
    /// How long <c>swarm init</c> waits for the new swarm's <c>ingress</c> network before it answers (Docker's init returns
    /// with it made; Berth's leader makes it in the background). Zero: no wait (an API without a network layer that follows
    /// the swarm).
    /// </summary>
    public TimeSpan SwarmInitIngressWait { get; init; }

    /// <summary><c>POST /build</c>'s classic builder; null: builds are refused as not served.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public BuildBackend? Builds { get; init; }
}
