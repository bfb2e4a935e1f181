namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose down</c>'s choices.</summary>
/// <param name="TimeoutSeconds"><c>-t</c>; null: each service's <c>stop_grace_period</c>, else the daemon's default.</param>
public sealed record DownOptions(bool RemoveOrphans = false, bool Volumes = false, int? TimeoutSeconds = null);
