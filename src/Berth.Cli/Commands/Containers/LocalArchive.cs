using System.Formats.Tar;
using Berth.Linux.Filesystems;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// The local side of <c>berth cp</c>, as go-archive does it for docker: <see cref="Write"/> archives one file or tree
/// (<c>TarResource</c>: PAX, names relative to the parent, directories with a trailing <c>/</c>, hard links by inode, times to the
/// second); <see cref="Extract"/> unpacks an archive into a directory (<c>Untar</c> without chown, never replacing a directory
/// with a non-directory or the reverse). Every entry's name goes through the caller's rename first (the copy's rebase). Writes go
/// through descriptors resolved inside the destination, so no entry, symlink or hard link lands outside it.
/// </summary>
public static class LocalArchive
{
    /// <summary>Archives <paramref name="directory"/>/<paramref name="entry"/> (and everything under it) to <paramref name="output"/>.</summary>
    public static void Write(string directory, string entry, Func<string, string> rename, Stream output)
    {
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        var seen = new Dictionary<(uint, uint, ulong), string>();
        var root = CopyPaths.Join(directory, entry);
        WriteTree(writer, root, entry == "." ? "." : CopyPaths.Clean(entry), rename, seen);
    }

    private static void WriteTree(TarWriter writer, string path, string name, Func<string, string> rename, Dictionary<(uint, uint, ulong), string> seen)
    {
        var status = NodeStatus.Of(path) ?? throw new ArgumentException($"lstat {path}: no such file or directory");
        var archived = rename(name) + (status.IsDirectory ? "/" : "");
        PaxTarEntry? tarEntry = null;
        if (status.IsRegular && status.Links > 1 && seen.TryGetValue((status.DeviceMajor, status.DeviceMinor, status.Inode), out var first))
        {
            tarEntry = new PaxTarEntry(TarEntryType.HardLink, archived) { LinkName = first };
        }
        else if (status.IsRegular)
        {
            seen[(status.DeviceMajor, status.DeviceMinor, status.Inode)] = archived;
            tarEntry = new PaxTarEntry(TarEntryType.RegularFile, archived) { DataStream = File.OpenRead(path) };
        }
        else if (status.IsDirectory)
        {
            tarEntry = new PaxTarEntry(TarEntryType.Directory, archived);
        }
        else if (status.IsSymlink)
        {
            tarEntry = new PaxTarEntry(TarEntryType.SymbolicLink, archived) { LinkName = new FileInfo(path).LinkTarget ?? "" };
        }

        if (tarEntry is not null)
        {
            // go-archive writes no owner names and cuts times to the second.
            tarEntry.Mode = (UnixFileMode)status.Permissions;
            tarEntry.Uid = (int)status.Uid;
            tarEntry.Gid = (int)status.Gid;
            tarEntry.ModificationTime = DateTimeOffset.FromUnixTimeSeconds(status.ModifiedSeconds);
            using (tarEntry.DataStream)
            {
                writer.WriteEntry(tarEntry);
            }
        }

        if (status.IsDirectory)
        {
            foreach (var child in Directory.EnumerateFileSystemEntries(path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal))
            {
                WriteTree(writer, path + "/" + child, name + "/" + child, rename, seen);
            }
        }
    }

    /// <summary>Unpacks <paramref name="input"/> into the existing directory <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">An entry that would leave the destination or replace a directory with a file (or the reverse).</exception>
    public static void Extract(Stream input, string destination, Func<string, string> rename)
    {
        using var root = DirectoryHandle.Open(destination);
        using var reader = new TarReader(input, leaveOpen: true);
        var directoryTimes = new List<(string Name, DateTimeOffset Time)>();
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes)
            {
                continue;
            }

            var name = Inside(rename(entry.Name), entry.Name, destination);
            var isDirectory = entry.EntryType == TarEntryType.Directory;
            if (name == ".")
            {
                continue;
            }

            using var parent = root.MakeDirectoriesInRoot(CopyPaths.Dir(name));
            var leaf = CopyPaths.Base(name);
            if (parent.StatusOf(leaf) is { } existing)
            {
                if (existing.IsDirectory && !isDirectory)
                {
                    throw new ArgumentException($"cannot overwrite directory \"{destination}/{name}\" with non-directory \"{destination}\"");
                }

                if (!existing.IsDirectory && isDirectory)
                {
                    throw new ArgumentException($"cannot overwrite non-directory \"{destination}/{name}\" with directory \"{destination}\"");
                }

                if (!isDirectory)
                {
                    parent.RemoveTree(leaf);
                }
            }

            var mode = (uint)entry.Mode;
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (parent.StatusOf(leaf) is null)
                    {
                        parent.MakeDirectory(leaf, mode);
                    }

                    parent.SetMode(leaf, mode);
                    directoryTimes.Add((name, entry.ModificationTime));
                    continue;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    using (var file = new FileStream(parent.CreateFile(leaf, mode), FileAccess.Write))
                    {
                        entry.DataStream?.CopyTo(file);
                    }

                    parent.SetMode(leaf, mode);
                    break;
                case TarEntryType.SymbolicLink:
                    if (!entry.LinkName.StartsWith('/'))
                    {
                        Inside(CopyPaths.Join(CopyPaths.Dir(name), entry.LinkName), entry.LinkName, destination);
                    }

                    parent.MakeSymlink(leaf, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    var target = Inside(rename(entry.LinkName), entry.LinkName, destination);
                    using (var targetParent = root.OpenDirectoryInRoot(CopyPaths.Dir(target))
                        ?? throw new ArgumentException($"hard link {name} to {entry.LinkName}: no such file or directory"))
                    {
                        parent.MakeHardLink(leaf, targetParent, CopyPaths.Base(target));
                    }

                    break;
                default:
                    continue; // Devices and FIFOs need privileges a copy does not assume; go-archive skips sockets too.
            }

            parent.SetModified(leaf, entry.ModificationTime);
        }

        // Directory times last, deepest first: entries written into a directory would change its time again.
        foreach (var (name, time) in directoryTimes.OrderByDescending(d => d.Name.Length))
        {
            using var parent = root.OpenDirectoryInRoot(CopyPaths.Dir(name));
            parent?.SetModified(CopyPaths.Base(name), time);
        }
    }

    /// <summary>The entry's name cleaned and relative to the destination; one that climbs out of it is refused (go-archive's breakout error).</summary>
    private static string Inside(string name, string original, string destination)
    {
        var cleaned = CopyPaths.Clean(name.TrimStart('/'));
        return cleaned == ".." || cleaned.StartsWith("../", StringComparison.Ordinal)
            ? throw new ArgumentException($"invalid tar entry: \"{original}\" is outside of \"{destination}\"")
            : cleaned;
    }
}
