namespace Berth.Runtime.Files;

/// <summary>
/// What Docker says of a path in a container (moby <c>container.PathStat</c>, sent base64 JSON in the
/// <c>X-Docker-Container-Path-Stat</c> header): the path's last element, its size and Go mode as <c>lstat</c> gives
/// them, its modification time, and for a symlink the absolute path it leads to inside the container, followed to the
/// end (or as far as the links go).
/// </summary>
public sealed record PathStat(string Name, long Size, uint Mode, DateTimeOffset Modified, string LinkTarget)
{
    public bool IsDirectory => (Mode & GoFileMode.Dir) != 0;
}
