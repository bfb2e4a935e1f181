namespace Berth.Compose.Loading;

/// <summary>The keys of each mapping Berth reads, from the Compose Specification (and the legacy v2/v3 formats).</summary>
internal static class ComposeKeys
{
    public static readonly KeySet TopLevel = KeySet.Of("the top level", "version name services networks volumes", "include models", extensions: true, stackOnly: "secrets configs");

    public static readonly KeySet Service = KeySet.Of(
        "a service",
        "image build command entrypoint environment env_file ports expose networks network_mode depends_on healthcheck restart " +
        "container_name hostname labels dns extra_hosts volumes scale deploy stop_grace_period profiles sysctls",
        "annotations attach blkio_config cgroup cgroup_parent cap_add cap_drop cpu_count cpu_percent cpu_shares cpu_quota cpu_period " +
        "cpu_rt_period cpu_rt_runtime cpus cpuset credential_spec develop device_cgroup_rules devices dns_opt dns_search domainname " +
        "extends external_links gpus group_add init ipc isolation label_file links logging log_driver log_opt mac_address mem_limit " +
        "mem_reservation mem_swappiness memswap_limit models oom_kill_disable oom_score_adj pid pids_limit platform post_start pre_stop " +
        "privileged provider pull_policy pull_refresh_after read_only runtime security_opt shm_size stdin_open stop_signal " +
        "storage_opt tmpfs tty ulimits use_api_socket user userns_mode uts volume_driver volumes_from working_dir",
        extensions: true,
        stackOnly: "secrets configs");

    public static readonly KeySet Build = KeySet.Of(
        "build", "context dockerfile args target labels network extra_hosts no_cache pull",
        "dockerfile_inline ssh cache_from cache_to additional_contexts entitlements isolation privileged secrets tags ulimits platforms shm_size",
        extensions: true);

    public static readonly KeySet ServiceNetwork = KeySet.Of(
        "a service's network", "aliases ipv4_address ipv6_address priority mac_address", "link_local_ips driver_opts gw_priority interface_name", extensions: true);

    public static readonly KeySet Dependency = KeySet.Of("a depends_on entry", "condition", "restart required", extensions: true);

    public static readonly KeySet Healthcheck = KeySet.Of("healthcheck", "test interval timeout retries start_period disable", "start_interval", extensions: true);

    public static readonly KeySet Port = KeySet.Of("a port", "target published host_ip protocol", "name app_protocol", extensions: true, stackOnly: "mode");

    public static readonly KeySet Volume = KeySet.Of("a volume mount", "type source target read_only", "bind volume tmpfs image consistency", extensions: true);

    public static readonly KeySet Deploy = KeySet.Of(
        "deploy", "replicas restart_policy", extensions: true,
        stackOnly: "mode endpoint_mode labels placement resources rollback_config update_config");

    public static readonly KeySet RestartPolicy = KeySet.Of("deploy.restart_policy", "condition max_attempts", extensions: true, stackOnly: "delay window");

    public static readonly KeySet Placement = KeySet.Of("deploy.placement", "", extensions: true, stackOnly: "constraints preferences max_replicas_per_node");

    public static readonly KeySet Preference = KeySet.Of("a placement preference", "", stackOnly: "spread");

    public static readonly KeySet UpdateConfig = KeySet.Of(
        "deploy.update_config", "", extensions: true, stackOnly: "parallelism delay failure_action monitor max_failure_ratio order");

    public static readonly KeySet Resources = KeySet.Of("deploy.resources", "", extensions: true, stackOnly: "limits reservations");

    public static readonly KeySet ResourceAmounts = KeySet.Of("deploy.resources limits", "", "devices generic_resources", extensions: true, stackOnly: "cpus memory pids");

    public static readonly KeySet FileObject = KeySet.Of(
        "a secret or config", "", "environment content driver driver_opts template_driver", extensions: true, stackOnly: "file external name labels");

    public static readonly KeySet FileReference = KeySet.Of("a secret or config reference", "", extensions: true, stackOnly: "source target uid gid mode");

    public static readonly KeySet EnvFile = KeySet.Of("an env_file entry", "path required", "format");

    public static readonly KeySet Network = KeySet.Of(
        "a network", "driver driver_opts ipam external name internal attachable enable_ipv6 labels", "enable_ipv4", extensions: true);

    public static readonly KeySet Ipam = KeySet.Of("ipam", "driver config", "options", extensions: true);

    public static readonly KeySet IpamPool = KeySet.Of("an ipam config entry", "subnet ip_range gateway aux_addresses");

    public static readonly KeySet ExternalLegacy = KeySet.Of("external", "name");

    public static readonly KeySet TopLevelVolume = KeySet.Of("a volume", "driver external name labels", "driver_opts", extensions: true);
}
