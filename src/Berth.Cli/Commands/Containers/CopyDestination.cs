namespace Berth.Cli.Commands.Containers;

/// <summary>go-archive's <c>CopyInfo</c> for a copy's destination: its path (symlinks resolved) and what is there now.</summary>
public sealed record CopyDestination(string Path, bool Exists, bool IsDirectory);
