namespace Berth.Runtime.Containers;

/// <summary>
/// One <c>--device HOST[:CONTAINER][:PERMISSIONS]</c> (Docker's <c>HostConfig.Devices[]</c>): a device node of the
/// host, or a directory of them, made at <see cref="PathInContainer"/> and allowed by the device cgroup for
/// <see cref="CgroupPermissions"/> (<c>r</c>ead, <c>w</c>rite, <c>m</c>knod).
/// </summary>
public sealed record DeviceMapping(string PathOnHost, string PathInContainer, string CgroupPermissions)
{
    /// <summary>Docker's default permissions when the flag names none.</summary>
    public const string AllPermissions = "rwm";
}
