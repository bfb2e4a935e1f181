namespace Berth.Cluster.Services;

/// <summary>
/// A <c>--secret</c> or <c>--config</c> of a service (Docker's <c>SecretReference</c>/<c>ConfigReference</c>): the
/// secret's id and name (the CLI resolves names to ids) and the file the task's container gets.
/// </summary>
public sealed record TaskFileReference(string Id, string Name, TaskFileTarget File);

/// <summary>Docker's <c>SecretReferenceFileTarget</c>: the file's name (relative to the kind's directory, or absolute), owner, mode.</summary>
public sealed record TaskFileTarget(string Name)
{
    public string Uid { get; init; } = "0";

    public string Gid { get; init; } = "0";

    /// <summary>Docker's default, set by the CLI: 0444.</summary>
    public uint Mode { get; init; } = Convert.ToUInt32("444", 8);
}
