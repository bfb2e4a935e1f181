using Berth.Linux.Namespaces;

namespace Berth.Runtime.Containers;

/// <summary>berthd's <c>--userns-remap</c> in the runtime: which user namespace a container runs in, and what of its bundle is its root's.</summary>
public sealed partial class ContainerRuntime
{
    /// <summary>berthd's <c>--userns-remap</c> mapping; null when it does not remap.</summary>
    public IdentityMapping? UserNamespace => options.UserNamespace;

    /// <summary>The user namespace <paramref name="spec"/> runs in: berthd's remap unless it opts out with <c>--userns host</c>.</summary>
    public IdentityMapping? UserNamespaceOf(ContainerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.HostUserns ? null : options.UserNamespace;
    }

    /// <summary>
    /// The remapped container's /etc files made its root's, and the user namespace it joins: the one that owns its network
    /// namespace (made together, or, with <c>--network container:NAME</c>, that container's), so that <c>runc exec</c>,
    /// which enters the user namespace first, can then enter the network one. Without such a namespace runc makes a new one.
    /// </summary>
    private static ContainerSpec Remap(ContainerSpec spec, ContainerPaths paths, IdentityMapping userNamespace)
    {
        foreach (string file in (string[])[paths.Hosts, paths.Hostname, paths.ResolvConf])
        {
            Users.RemappedOwner.GiveToRoot(userNamespace, file);
        }

        return spec.UserNamespacePath is null && spec.NetworkNamespacePath is { } netns && OwnerOf(netns) is { } owner && File.Exists(owner)
            ? spec with { UserNamespacePath = owner }
            : spec;
    }

    /// <summary>
    /// The user namespace that owns a network namespace: Berth's file beside it (<see cref="NamespaceManager.CreateOwned"/>),
    /// or, for another container's <c>/proc/PID/ns/net</c>, that process's <c>/proc/PID/ns/user</c>.
    /// </summary>
    private static string OwnerOf(string networkNamespacePath) =>
        networkNamespacePath.StartsWith("/proc/", StringComparison.Ordinal) && networkNamespacePath.EndsWith("/ns/net", StringComparison.Ordinal)
            ? networkNamespacePath[..^"net".Length] + "user"
            : NamespaceManager.UserNamespacePathFor(networkNamespacePath);
}
