using System.Collections.Immutable;

namespace Berth.Compose.Model;

/// <summary>
/// A service's <c>build:</c> (Compose Specification "build"): the string form is <see cref="Context"/> alone. Each field
/// maps onto one <c>POST /build</c> query parameter.
/// </summary>
public sealed record ComposeBuild
{
    /// <summary>The context directory, absolute (a relative one is resolved against the compose file's directory).</summary>
    public required string Context { get; init; }

    /// <summary>Null: <c>Dockerfile</c> in the context. Relative to the context, as docker reads it.</summary>
    public string? Dockerfile { get; init; }

    /// <summary><c>args</c>: a list entry without <c>=</c> takes the shell's value, or is dropped when unset (Compose's rule).</summary>
    public ImmutableSortedDictionary<string, string> Args { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public string? Target { get; init; }

    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>The network RUN instructions use (<c>networkmode</c>); null: the daemon's default.</summary>
    public string? Network { get; init; }

    /// <summary><c>host:ip</c> entries, as the service's own <c>extra_hosts</c>.</summary>
    public ImmutableArray<string> ExtraHosts { get; init; } = [];

    public bool NoCache { get; init; }

    public bool Pull { get; init; }
}
