using System.Globalization;
using Berth.Core.Errors;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Engine;

/// <summary>
/// At start, where <c>--pid</c> and <c>--ipc</c> put the process: the host's namespace, its own, or a running
/// container's, by that container's init (<c>/proc/PID/ns/pid</c>, <c>/proc/PID/ns/ipc</c>, and for IPC its /dev/shm:
/// a shareable container's is a tmpfs on the host, <see cref="ContainerDirectories.MountShm"/>, since a mount inside
/// another mount namespace cannot be bound). moby's rules: the other container must be running, and an IPC donor must have
/// been made <c>shareable</c>. Reads other containers from the cache without their locks.
/// </summary>
public static class NamespaceJoins
{
    private const string Shareable = "shareable";

    /// <summary>The host's /dev/shm, bound into a container on the host's IPC namespace.</summary>
    private const string HostShm = "/dev/shm";

    public static ContainerSpec Apply(ContainerSpec spec, ContainerRecord record, Func<string, ContainerRecord> find, ContainerDirectories directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(find);
        NamespaceModes modes = record.Spec.Namespaces;
        NamespaceShare pid = modes.Pid switch
        {
            NamespaceModes.Host => NamespaceShare.Host,
            _ when NamespaceModes.JoinedContainer(modes.Pid) is { } name => NamespaceShare.Join(NamespacePath(Running(find(name), "PID"), "pid")),
            _ => NamespaceShare.Private,
        };

        (NamespaceShare ipc, string? shm) = modes.Ipc switch
        {
            NamespaceModes.Host => (NamespaceShare.Host, HostShm),
            "none" => (NamespaceShare.None, null),
            Shareable => (NamespaceShare.Private, directories.MountShm(record.Id)),
            _ when NamespaceModes.JoinedContainer(modes.Ipc) is { } name => JoinIpc(find(name), directories),
            _ => (NamespaceShare.Private, (string?)null),
        };

        return spec with { Pid = pid, Ipc = ipc, ShmSource = shm };
    }

    /// <summary>
    /// Under berthd's <c>--userns-remap</c>: the user namespace of the container whose PID or IPC namespace this one joins
    /// (its init's <c>/proc/PID/ns/user</c>), which owns those namespaces, so this one must run in it to enter them (and
    /// <c>docker exec</c> too); null when it joins neither, or opts out with <c>--userns host</c>. Refused when it would
    /// need two user namespaces: PID and IPC of two containers, or the network namespace of a third.
    /// </summary>
    public static string? UserNamespaceDonor(ContainerRecord record, Func<string, ContainerRecord> find)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(find);
        NamespaceModes modes = record.Spec.Namespaces;
        if (modes.Userns == NamespaceModes.Host)
        {
            return null;
        }

        var donors = new[] { NamespaceModes.JoinedContainer(modes.Pid), NamespaceModes.JoinedContainer(modes.Ipc) }
            .OfType<string>().Select(find).DistinctBy(d => d.Id).ToList();
        if (donors.Count == 0)
        {
            return null;
        }

        var donor = donors[0];
        if (donors.Count > 1 || (record.Spec.NetworkMode.IsContainer && find(record.Spec.NetworkMode.Target!).Id != donor.Id))
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                "with berthd's --userns-remap a container runs in the user namespace of the container whose namespaces it joins: --pid, --ipc and --network container:NAME must name the same container");
        }

        if (donor.Spec.Namespaces.Userns == NamespaceModes.Host)
        {
            throw new BerthException(ErrorKind.Conflict,
                $"cannot join the namespaces of container {donor.Name}: it runs with --userns host, outside berthd's user namespaces; run this one with --userns host too");
        }

        return NamespacePath(Running(donor, "PID or IPC"), "user");
    }

    private static (NamespaceShare, string?) JoinIpc(ContainerRecord donor, ContainerDirectories directories)
    {
        Running(donor, "IPC");
        if (donor.Spec.Namespaces.Ipc != Shareable)
        {
            throw new BerthException(ErrorKind.Conflict,
                $"cannot join IPC of container {donor.Name}: non-shareable IPC (hint: use IpcMode:shareable for the donor container, docker run --ipc shareable)");
        }

        return (NamespaceShare.Join(NamespacePath(donor, "ipc")), directories.ShmOf(donor.Id));
    }

    private static ContainerRecord Running(ContainerRecord other, string kind) =>
        other.Status == ContainerStatus.Running && other.Pid > 0
            ? other
            : throw new BerthException(ErrorKind.Conflict, $"cannot join {kind} of a non running container: {other.Name}");

    private static string NamespacePath(ContainerRecord other, string kind) =>
        $"/proc/{other.Pid.ToString(CultureInfo.InvariantCulture)}/ns/{kind}";
}
