using Berth.Core.Errors;
using Berth.Runtime.Containers.Oci;
using Berth.Linux.Filesystems;

namespace Berth.Runtime.Containers;

/// <summary>
/// Turns <c>--device</c> mappings into the device nodes runc makes and the cgroup rules that allow them, from the
/// host's nodes as they are now (type, major/minor, mode and owner), as moby's <c>oci.DevicesFromPath</c> does:
/// a directory maps every device node under it, at the same relative path under the container path.
/// </summary>
public static class HostDevices
{
    /// <summary>The nodes and cgroup rules for <paramref name="mappings"/>; a missing path or one that is no device is a 400 naming it.</summary>
    public static (IReadOnlyList<OciDevice> Nodes, IReadOnlyList<OciDeviceCgroup> Rules) Resolve(IEnumerable<DeviceMapping> mappings)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        var nodes = new List<OciDevice>();
        var rules = new List<OciDeviceCgroup>();
        foreach (DeviceMapping mapping in mappings)
        {
            string host = Path.GetFullPath(mapping.PathOnHost);
            if (NodeStatus.Of(host) is null || NodeStatus.Of(ResolveLinks(host)) is not { } status)
            {
                throw Gathering(mapping, "no such file or directory");
            }

            if (status.Type == NodeStatus.Directory)
            {
                foreach (string file in Directory.EnumerateFiles(host, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
                {
                    if (NodeStatus.Of(file) is { } inner && NodeType(inner) is { } type)
                    {
                        string target = mapping.PathInContainer.TrimEnd('/') + file[host.TrimEnd('/').Length..];
                        Add(nodes, rules, target, type, inner, mapping.CgroupPermissions);
                    }
                }

                continue;
            }

            Add(nodes, rules, mapping.PathInContainer, NodeType(status) ?? throw Gathering(mapping, "not a device node"), status, mapping.CgroupPermissions);
        }

        return (nodes, rules);
    }

    /// <summary>The node's runtime-spec type: <c>c</c>, <c>b</c> or <c>p</c>; null for anything else.</summary>
    private static string? NodeType(NodeStatus status) => status.Type switch
    {
        NodeStatus.CharacterDevice => "c",
        NodeStatus.BlockDevice => "b",
        NodeStatus.Fifo => "p",
        _ => null,
    };

    private static void Add(List<OciDevice> nodes, List<OciDeviceCgroup> rules, string path, string type, NodeStatus status, string permissions)
    {
        nodes.Add(new OciDevice(path, type, status.RdevMajor, status.RdevMinor, status.Mode & NodeStatus.PermissionMask, status.Uid, status.Gid));
        rules.Add(new OciDeviceCgroup(true, type, status.RdevMajor, status.RdevMinor, permissions));
    }

    /// <summary><c>/dev/disk/by-id/x</c> is a link to the node: the node is what is mapped, under the name asked for.</summary>
    private static string ResolveLinks(string path) =>
        new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;

    private static BerthException Gathering(DeviceMapping mapping, string why) =>
        new(ErrorKind.InvalidArgument, $"error gathering device information while adding custom device \"{mapping.PathOnHost}\": {why}");
}
