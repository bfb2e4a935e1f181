namespace Berth.Core.Networks;

/// <summary>What a container's <see cref="NetworkMode"/> asks for.</summary>
public enum NetworkModeKind
{
    /// <summary><c>default</c> (or empty): the default bridge network.</summary>
    Default,

    /// <summary><c>bridge</c>: the default bridge network, named.</summary>
    Bridge,

    /// <summary><c>host</c>: the host's own namespace.</summary>
    Host,

    /// <summary><c>none</c>: a namespace with only <c>lo</c>.</summary>
    None,

    /// <summary><c>container:&lt;id or name&gt;</c>: another container's namespace.</summary>
    Container,

    /// <summary>Any other value: a network by name or id (user-defined, or a predefined one such as a macvlan).</summary>
    Network,
}
