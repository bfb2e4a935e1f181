using Berth.Linux.Filesystems;

namespace Berth.Runtime.Files;

/// <summary>
/// <c>docker diff</c> from a container's overlay upper directory, with moby's rules (go-archive <c>ChangesDirs</c> as
/// overlay2 runs it): a name that no lower layer has is added; one a lower layer has is modified when its mode, owner
/// or device differ, or, for a non-directory, its size or modification time (to the second when either side has no
/// nanoseconds); a whiteout is a deletion, and so is every lower child an opaque directory hides; a directory with
/// changes inside is modified when it was not reported already. Upper entries that only hold a copy-up are therefore
/// not changes. <see cref="InitPaths"/> are left out, as Docker's init layer keeps them out of its diffs.
/// </summary>
internal static class LayerChanges
{
    private const string OpaqueAttribute = "trusted.overlay.opaque";

    /// <param name="upper">The container's upper directory.</param>
    /// <param name="lowers">The image's layer directories, top first.</param>
    public static List<FilesystemChange> Of(DirectoryHandle upper, IReadOnlyList<DirectoryHandle> lowers)
    {
        var changes = new List<FilesystemChange>();
        Walk(upper, "", lowers, lowerHidden: false, changes);
        return changes;
    }

    /// <summary>moby's <c>statDifferent</c> over two lstat results.</summary>
    public static bool StatDifferent(NodeStatus before, NodeStatus after) =>
        before.Mode != after.Mode || before.Uid != after.Uid || before.Gid != after.Gid
        || before.RdevMajor != after.RdevMajor || before.RdevMinor != after.RdevMinor
        || (!before.IsDirectory && (!SameTime(before, after) || before.Size != after.Size));

    /// <summary>go-archive <c>sameFsTime</c>: equal, or the same second with no nanoseconds on one side (tar rounds to seconds).</summary>
    public static bool SameTime(NodeStatus a, NodeStatus b) =>
        a.ModifiedSeconds == b.ModifiedSeconds && (a.ModifiedNanoseconds == b.ModifiedNanoseconds || a.ModifiedNanoseconds == 0 || b.ModifiedNanoseconds == 0);

    private static void Walk(DirectoryHandle directory, string path, IReadOnlyList<DirectoryHandle> lowers, bool lowerHidden, List<FilesystemChange> changes)
    {
        foreach (string name in directory.Names())
        {
            string child = path + "/" + name;
            if (InitPaths.Contains(child) || directory.StatusOf(name) is not { } status)
            {
                continue;
            }

            var lower = lowerHidden ? null : LowerStatus(lowers, child);
            if (status.IsWhiteout)
            {
                changes.Add(new FilesystemChange(child, ChangeKind.Deleted));
                continue;
            }

            int sizeAtEntry = changes.Count;
            ChangeKind? kind = lower is null ? ChangeKind.Added : StatDifferent(lower.Value, status) ? ChangeKind.Modified : null;
            if (kind is { } reported)
            {
                changes.Add(new FilesystemChange(child, reported));
            }

            if (!status.IsDirectory)
            {
                continue;
            }

            using (var below = directory.OpenDirectory(name))
            {
                if (below is not null)
                {
                    bool opaque = directory.Attribute(name, OpaqueAttribute) is [(byte)'y'];
                    Walk(below, child, lowers, lowerHidden: lower is not { IsDirectory: true } || opaque, changes);
                    if (opaque && lower is { IsDirectory: true })
                    {
                        var kept = below.Names().ToHashSet(StringComparer.Ordinal);
                        changes.AddRange(LowerNames(lowers, child).Where(n => !kept.Contains(n)).Select(n => new FilesystemChange(child + "/" + n, ChangeKind.Deleted)));
                    }
                }
            }

            if (kind is null && changes.Count > sizeAtEntry)
            {
                changes.Insert(sizeAtEntry, new FilesystemChange(child, ChangeKind.Modified));
            }
            else if (kind == ChangeKind.Added && changes.Count == sizeAtEntry + 1 && InitPaths.IsAncestor(child))
            {
                // A directory the runtime made only to hold its own mount points (/etc for /etc/hosts).
                changes.RemoveAt(sizeAtEntry);
            }
        }
    }

    /// <summary>The path in the topmost lower layer that has it; null when none has it or the topmost says it was deleted.</summary>
    private static NodeStatus? LowerStatus(IReadOnlyList<DirectoryHandle> lowers, string path)
    {
        foreach (var lower in lowers)
        {
            if (lower.StatusBeneath(path) is { } status)
            {
                return status.IsWhiteout ? null : status;
            }
        }

        return null;
    }

    /// <summary>The names the lower layers show in a directory (whiteouts applied, top layer first).</summary>
    private static IEnumerable<string> LowerNames(IReadOnlyList<DirectoryHandle> lowers, string path)
    {
        var seen = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        foreach (var lower in lowers)
        {
            using var directory = lower.OpenDirectoryBeneath(path);
            if (directory is null)
            {
                continue;
            }

            foreach (string name in directory.Names())
            {
                if (!seen.ContainsKey(name))
                {
                    seen[name] = directory.StatusOf(name) is not { IsWhiteout: true };
                }
            }

            if (directory.Attribute(".", OpaqueAttribute) is [(byte)'y'])
            {
                break;
            }
        }

        return seen.Where(s => s.Value).Select(s => s.Key);
    }
}
