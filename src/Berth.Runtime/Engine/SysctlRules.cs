using System.Collections.Immutable;
using Berth.Core.Errors;

namespace Berth.Runtime.Engine;

/// <summary>
/// <c>--sysctl</c> (HostConfig.Sysctls): only the kernel settings a container's own namespaces hold may be set — those of
/// its network namespace (<c>net.*</c>), of its IPC namespace (System V IPC and POSIX message queues) and its domain
/// name (UTS) — and not when it shares that namespace with the host. runc would refuse the rest at start; Berth refuses
/// them at create, in runc's words, so nothing is made.
/// </summary>
public static class SysctlRules
{
    /// <summary>The IPC namespace's settings (runc's libcontainer/configs/validate: namespaced sysctls).</summary>
    private static readonly ImmutableHashSet<string> Ipc = ImmutableHashSet.Create(StringComparer.Ordinal,
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");

    private const string MessageQueues = "fs.mqueue.";
    private const string Network = "net.";

    public static void Validate(ContainerCreateSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        foreach (var (name, value) in spec.Sysctls)
        {
            if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"invalid sysctl \"{name}={value}\": give NAME=VALUE with a dotted name, such as net.ipv4.ip_forward=1");
            }

            if (Ipc.Contains(name) || name.StartsWith(MessageQueues, StringComparison.Ordinal))
            {
                if (spec.Namespaces.Ipc == NamespaceModes.Host)
                {
                    throw new BerthException(ErrorKind.InvalidArgument, $"sysctl \"{name}\" not allowed with host ipc namespace enabled");
                }
            }
            else if (name.StartsWith(Network, StringComparison.Ordinal))
            {
                if (spec.NetworkMode.IsHost)
                {
                    throw new BerthException(ErrorKind.InvalidArgument, $"sysctl \"{name}\" not allowed in host network namespace");
                }
            }
            else if (name == "kernel.domainname")
            {
                if (spec.Namespaces.Uts == NamespaceModes.Host)
                {
                    throw new BerthException(ErrorKind.InvalidArgument, $"sysctl \"{name}\" is not allowed as it conflicts with the host's UTS namespace");
                }
            }
            else
            {
                throw new BerthException(ErrorKind.InvalidArgument,
                    $"sysctl \"{name}\" is not in a separate kernel namespace; a container may set net.*, kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.* and kernel.domainname");
            }
        }
    }
}
