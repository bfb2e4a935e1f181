using System.Collections.Immutable;
using Berth.Core.Errors;

namespace Berth.Runtime.Engine;

/// <summary>
/// <c>--volumes-from NAME[:ro|:rw]</c>: the other container's mounts (volumes and binds) at the same destinations, as
/// moby's <c>registerMountPoints</c> copies them at create; <c>ro</c>/<c>rw</c> overrides their mode, otherwise each
/// keeps its own. The new container's own mounts win at a destination both have. An inherited anonymous volume
/// stays the other container's: removing this one never removes it.
/// </summary>
public static class VolumesFrom
{
    /// <summary>
    /// Parses every entry first, then looks the containers up; both are 400s: a 404 on create makes the docker CLI
    /// take the image for missing and try to pull it, hiding what was wrong.
    /// </summary>
    public static ImmutableArray<MountPoint> Inherit(IEnumerable<string> entries, Func<string, ContainerRecord> find)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(find);
        var parsed = entries.Select(Parse).ToList();
        var inherited = new List<MountPoint>();
        foreach (var (name, readWrite) in parsed)
        {
            ContainerRecord donor;
            try
            {
                donor = find(name);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"--volumes-from {name}: {e.Message}; name a container that exists");
            }

            foreach (MountPoint mount in donor.Mounts.Where(m => !m.IsTmpfs))
            {
                inherited.RemoveAll(m => m.Destination == mount.Destination);
                inherited.Add(mount with { RW = readWrite ?? mount.RW, Anonymous = false, Mode = readWrite is { } rw ? (rw ? "rw" : "ro") : mount.Mode });
            }
        }

        return [.. inherited];
    }

    /// <summary>The container's own mounts, then the inherited ones at destinations it leaves free, parents first.</summary>
    public static ImmutableArray<MountPoint> Merge(ImmutableArray<MountPoint> own, ImmutableArray<MountPoint> inherited) =>
        [.. own.Concat(inherited.Where(i => !own.Any(o => o.Destination == i.Destination)))
            .OrderBy(m => m.Destination.Count(c => c == '/')).ThenBy(m => m.Destination, StringComparer.Ordinal)];

    private static (string Name, bool? ReadWrite) Parse(string entry)
    {
        string[] parts = entry.Split(':');
        return parts switch
        {
            [{ Length: > 0 } name] => (name, null),
            [{ Length: > 0 } name, "rw"] => (name, true),
            [{ Length: > 0 } name, "ro"] => (name, false),
            [{ Length: > 0 }, var mode] => throw new BerthException(ErrorKind.InvalidArgument, $"invalid mode for volumes-from: {mode}; give ro or rw"),
            _ => throw new BerthException(ErrorKind.InvalidArgument, $"invalid volumes-from entry \"{entry}\": give NAME[:ro|:rw]"),
        };
    }
}
