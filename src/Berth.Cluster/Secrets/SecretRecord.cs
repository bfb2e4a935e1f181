using System.Collections.Immutable;
using Berth.Cluster.Identity;

namespace Berth.Cluster.Secrets;

/// <summary>
/// <c>swarm/secrets/&lt;id&gt;</c> or <c>swarm/configs/&lt;id&gt;</c>. <c>Version.Index</c> is the record's mod revision.
/// <see cref="Data"/> is base64: a config's bytes in clear; a secret's sealed (<see cref="SecretSeal"/>), which a worker
/// reading the store cannot open.
/// </summary>
public sealed record SecretRecord
{
    public required SecretId Id { get; init; }

    public required SecretKind Kind { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required string Name { get; init; }

    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public required string Data { get; init; }
}

/// <summary>What a user gives: Docker's <c>SecretSpec</c>/<c>ConfigSpec</c> (a driver or templating are refused).</summary>
public sealed record SecretSpec(string Name, byte[]? Data)
{
    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
}

/// <summary>A record with its version; a config's data in clear (null for a secret: never shown back).</summary>
public sealed record SecretView(SecretRecord Record, long Version, byte[]? Data);

/// <summary>One file a task's container gets: which secret or config, where, its bytes.</summary>
public sealed record TaskFileData(SecretKind Kind, string Id, string Name, byte[] Data);
