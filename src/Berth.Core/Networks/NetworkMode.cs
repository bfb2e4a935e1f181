using System.Text.Json.Serialization;
using Berth.Core.Errors;

namespace Berth.Core.Networks;

/// <summary>
/// Docker's <c>HostConfig.NetworkMode</c>, parsed once (at the API) and typed from then on:
/// <c>default</c>, <c>bridge</c>, <c>host</c>, <c>none</c>, <c>container:&lt;id or name&gt;</c>, or a network.
/// <see cref="ToString"/> gives back Docker's spelling (what inspect shows), and JSON holds that string,
/// so records stored before this type existed load unchanged.
/// </summary>
[JsonConverter(typeof(NetworkModeJsonConverter))]
public readonly record struct NetworkMode
{
    public const string DefaultText = "default";
    public const string BridgeText = "bridge";
    public const string HostText = "host";
    public const string NoneText = "none";
    public const string ContainerPrefix = "container:";

    public static readonly NetworkMode Default = new(NetworkModeKind.Default, null);
    public static readonly NetworkMode Bridge = new(NetworkModeKind.Bridge, null);
    public static readonly NetworkMode Host = new(NetworkModeKind.Host, null);
    public static readonly NetworkMode None = new(NetworkModeKind.None, null);

    private NetworkMode(NetworkModeKind kind, string? target)
    {
        Kind = kind;
        Target = target;
    }

    public NetworkModeKind Kind { get; }

    /// <summary>The container (id, name or prefix) for <see cref="NetworkModeKind.Container"/>, the network for <see cref="NetworkModeKind.Network"/>; null otherwise.</summary>
    public string? Target { get; }

    /// <summary>The default bridge, by either spelling.</summary>
    public bool IsDefaultBridge => Kind is NetworkModeKind.Default or NetworkModeKind.Bridge;

    public bool IsHost => Kind == NetworkModeKind.Host;

    public bool IsNone => Kind == NetworkModeKind.None;

    public bool IsContainer => Kind == NetworkModeKind.Container;

    /// <summary>Named another network than the default bridge (Docker's IsUserDefined: embedded DNS, aliases).</summary>
    public bool IsUserDefined => Kind == NetworkModeKind.Network;

    /// <summary>The container has a namespace of its own that Berth makes (not host, not another container's).</summary>
    public bool HasOwnNamespace => Kind is not (NetworkModeKind.Host or NetworkModeKind.Container);

    /// <summary>The network this mode puts the container on when it names no endpoints: bridge for the default, the network for a named one; null for host, none and container:.</summary>
    public string? ImpliedNetwork => Kind switch
    {
        NetworkModeKind.Default or NetworkModeKind.Bridge => BridgeText,
        NetworkModeKind.Network => Target,
        _ => null,
    };

    public static NetworkMode Container(string idOrName)
    {
        ArgumentException.ThrowIfNullOrEmpty(idOrName);
        return new(NetworkModeKind.Container, idOrName);
    }

    public static NetworkMode Network(string nameOrId)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrId);
        return Parse(nameOrId);
    }

    /// <summary>Docker's spelling (empty is <c>default</c>); <c>container:</c> without a container is a 400.</summary>
    public static NetworkMode Parse(string? text) => text switch
    {
        null or "" or DefaultText => Default,
        BridgeText => Bridge,
        HostText => Host,
        NoneText => None,
        _ when text.StartsWith(ContainerPrefix, StringComparison.Ordinal) => text.Length > ContainerPrefix.Length
            ? new(NetworkModeKind.Container, text[ContainerPrefix.Length..])
            : throw new BerthException(ErrorKind.InvalidArgument, $"invalid network mode \"{text}\": name the container to share the network namespace of, as container:<name|id>"),
        _ => new(NetworkModeKind.Network, text),
    };

    public override string ToString() => Kind switch
    {
        NetworkModeKind.Default => DefaultText,
        NetworkModeKind.Bridge => BridgeText,
        NetworkModeKind.Host => HostText,
        NetworkModeKind.None => NoneText,
        NetworkModeKind.Container => ContainerPrefix + Target,
        _ => Target ?? DefaultText,
    };
}
