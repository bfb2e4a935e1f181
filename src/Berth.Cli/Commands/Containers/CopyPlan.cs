namespace Berth.Cli.Commands.Containers;

/// <summary>
/// Where an archive is unpacked and how its entries are renamed on the way (go-archive's <c>PrepareArchiveCopy</c>, after the
/// source's own rebase): <see cref="Renames"/> apply in order, each replacing a leading path element.
/// </summary>
public sealed record CopyPlan(string Directory, IReadOnlyList<(string OldBase, string NewBase)> Renames)
{
    public string Rename(string name) => Renames.Aggregate(name, (current, rename) => CopyPaths.Rebase(current, rename.OldBase, rename.NewBase));

    /// <summary>
    /// Into an existing directory: as is. A directory onto an existing file: refused. Otherwise the top entry takes the
    /// destination's name and the archive goes to its parent; a file to a missing path ending in <c>/</c> is refused.
    /// </summary>
    public static CopyPlan Prepare(CopySource source, CopyDestination destination)
    {
        var (destinationDirectory, destinationBase) = CopyPaths.SplitDirectoryEntry(destination.Path);
        var sourceBase = CopyPaths.SplitDirectoryEntry(source.Path).Base;
        var renames = new List<(string, string)>();
        if (source.RebaseName.Length > 0)
        {
            renames.Add((sourceBase, source.RebaseName));
            sourceBase = source.RebaseName;
        }

        if (destination.Exists && destination.IsDirectory)
        {
            return new CopyPlan(destination.Path, renames);
        }

        if (destination.Exists && source.IsDirectory)
        {
            throw new ArgumentException("cannot copy directory");
        }

        if (!destination.Exists && !source.IsDirectory && CopyPaths.AssertsDirectory(destination.Path))
        {
            throw new ArgumentException("no such directory");
        }

        renames.Add((sourceBase, destinationBase));
        return new CopyPlan(destinationDirectory, renames);
    }
}
