namespace Berth.Cli.Commands.Compose;

/// <summary>What <c>logs</c> (and attached <c>up</c>) asks of each container's log.</summary>
/// <param name="Since">Unix seconds with nanoseconds (<c>1700000000.123456789</c>), or null for all.</param>
/// <param name="Tail">A count, or <c>all</c>.</param>
public sealed record LogOptions(bool Follow, bool Timestamps = false, string Tail = "all", string? Since = null, bool Color = false);
