namespace Berth.Linux.Namespaces;

/// <summary>
/// One line of a user namespace's <c>uid_map</c> or <c>gid_map</c> (user_namespaces(7)): ids
/// <see cref="ContainerId"/>… in the namespace are <see cref="HostId"/>… outside, <see cref="Size"/> of them.
/// </summary>
public readonly record struct IdRange(uint ContainerId, uint HostId, uint Size)
{
    /// <summary>Whether container id <paramref name="id"/> falls in this range.</summary>
    public bool HoldsContainerId(uint id) => id >= ContainerId && id - ContainerId < Size;

    /// <summary>Whether host id <paramref name="id"/> falls in this range.</summary>
    public bool HoldsHostId(uint id) => id >= HostId && id - HostId < Size;
}
