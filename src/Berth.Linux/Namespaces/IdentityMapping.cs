using System.Collections.Immutable;
using Berth.Core.Errors;

namespace Berth.Linux.Namespaces;

/// <summary>
/// The ids of a remapped container (dockerd's <c>--userns-remap</c>): container uid and gid 0… are the
/// subordinate ranges of the remap user and group, laid end to end (moby idtools' <c>createIDMap</c>).
/// Files the container sees as root's are <see cref="RootUid"/>:<see cref="RootGid"/>'s on the host.
/// </summary>
public sealed record IdentityMapping
{
    public IdentityMapping(ImmutableArray<IdRange> uids, ImmutableArray<IdRange> gids)
    {
        if (uids.IsDefaultOrEmpty || gids.IsDefaultOrEmpty)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "a user namespace needs at least one uid range and one gid range");
        }

        Uids = uids;
        Gids = gids;
    }

    /// <summary>The name the remap was asked for with (<c>berthremap</c>, <c>USER:GROUP</c>): <c>docker info</c> shows its ids only.</summary>
    public string User { get; init; } = "";

    public ImmutableArray<IdRange> Uids { get; }

    public ImmutableArray<IdRange> Gids { get; }

    /// <summary>The host uid of container root: the first subordinate uid.</summary>
    public uint RootUid => ToHostUid(0);

    /// <summary>The host gid of container root: the first subordinate gid.</summary>
    public uint RootGid => ToHostGid(0);

    /// <summary>Docker's name for the remapped root's directory under <c>--root</c>: <c>UID.GID</c> (moby <c>setupDaemonRoot</c>).</summary>
    public string DirectoryName => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{RootUid}.{RootGid}");

    /// <summary>
    /// The ranges laid end to end from container id 0, in the order given (moby idtools <c>createIDMap</c>): each
    /// <c>(Start, Count)</c> is a subordinate range of /etc/subuid or /etc/subgid.
    /// </summary>
    public static ImmutableArray<IdRange> Contiguous(IEnumerable<(uint Start, uint Count)> subordinate)
    {
        ArgumentNullException.ThrowIfNull(subordinate);
        var ranges = ImmutableArray.CreateBuilder<IdRange>();
        uint next = 0;
        foreach (var (start, count) in subordinate)
        {
            ranges.Add(new IdRange(next, start, count));
            next += count;
        }

        return ranges.ToImmutable();
    }

    /// <summary>The host uid of container uid <paramref name="uid"/>; an id outside the ranges is an error (the kernel shows it as the overflow id).</summary>
    public uint ToHostUid(uint uid) => ToHost(Uids, uid, "uid");

    public uint ToHostGid(uint gid) => ToHost(Gids, gid, "gid");

    /// <summary>The container uid of host uid <paramref name="uid"/>, or null when the container cannot see it (it shows as <c>nobody</c>).</summary>
    public uint? ToContainerUid(uint uid) => ToContainer(Uids, uid);

    public uint? ToContainerGid(uint gid) => ToContainer(Gids, gid);

    private static uint ToHost(ImmutableArray<IdRange> ranges, uint id, string what)
    {
        foreach (IdRange range in ranges)
        {
            if (range.HoldsContainerId(id))
            {
                return range.HostId + (id - range.ContainerId);
            }
        }

        throw new BerthException(ErrorKind.InvalidArgument, $"container {what} {id} is outside the user namespace's mapping (--userns-remap); use an id below {ranges[^1].ContainerId + ranges[^1].Size}");
    }

    private static uint? ToContainer(ImmutableArray<IdRange> ranges, uint id)
    {
        foreach (IdRange range in ranges)
        {
            if (range.HoldsHostId(id))
            {
                return range.ContainerId + (id - range.HostId);
            }
        }

        return null;
    }
}
