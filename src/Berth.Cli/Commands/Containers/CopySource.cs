namespace Berth.Cli.Commands.Containers;

/// <summary>go-archive's <c>CopyInfo</c> for a copy's source: its path, whether it is a directory, and the name its top entry must take back after a symlink was resolved ("" for none).</summary>
public sealed record CopySource(string Path, bool IsDirectory, string RebaseName = "");
