namespace Berth.Compose.Loading;

/// <summary>
/// docker's CLI's rules for service keys in a stack file (docker/cli <c>cli/compose/types</c>): keys a swarm cannot use are
/// ignored and listed, deprecated ones ignored with a reason, forbidden ones refuse the file.
/// </summary>
internal static class StackKeys
{
    public static readonly IReadOnlySet<string> Unsupported = new HashSet<string>(StringComparer.Ordinal)
    {
        "build", "cgroupns_mode", "cgroup_parent", "devices", "domainname", "external_links", "ipc", "links", "mac_address",
        "network_mode", "pid", "privileged", "restart", "security_opt", "shm_size", "userns_mode",
    };

    public static readonly IReadOnlyDictionary<string, string> Deprecated = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["container_name"] = "Setting the container name is not supported.",
        ["expose"] = "Exposing ports is unnecessary - services on the same network can access each other's containers on any port.",
    };

    public static readonly IReadOnlyDictionary<string, string> Forbidden = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["extends"] = "Support for `extends` is not implemented yet.",
        ["volume_driver"] = "Instead of setting the volume driver on the service, define a volume using the top-level `volumes` option and specify the driver there.",
        ["volumes_from"] = "To share a volume between services, define it using the top-level `volumes` option and reference it from each service that shares it using the service-level `volumes` option.",
        ["cpu_quota"] = "Set resource limits using deploy.resources",
        ["cpu_shares"] = "Set resource limits using deploy.resources",
        ["cpuset"] = "Set resource limits using deploy.resources",
        ["mem_limit"] = "Set resource limits using deploy.resources",
        ["memswap_limit"] = "Set resource limits using deploy.resources",
    };

    /// <summary>A key docker's CLI reports itself (listed or refused), so the binder does not warn about it too.</summary>
    public static bool IsReported(string key) => Unsupported.Contains(key) || Deprecated.ContainsKey(key) || Forbidden.ContainsKey(key);
}
