using System.Collections.Immutable;
using System.Globalization;
using Berth.Api.Contracts;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Stack;

public static partial class StackConverter
{
    private const long NanosPerTick = 100;
    private const uint DefaultFileMode = 0x124; // 0444, docker's default for a secret or config file

    private static StackService Service(string stack, ComposeProject project, ComposeService service)
    {
        var deploy = service.Deploy ?? new ComposeDeploy();
        var labels = WithNamespace(stack, deploy.Labels);
        labels[StackLabels.Image] = service.Image ?? "";
        var spec = new ServiceSpecContract
        {
            Name = StackLabels.Scope(stack, service.Name),
            Labels = labels,
            TaskTemplate = new TaskSpecContract
            {
                ContainerSpec = new ContainerSpecContract
                {
                    Image = service.Image,
                    Command = service.Entrypoint is { } entrypoint ? [.. entrypoint] : null,
                    Args = service.Command is { } command ? [.. command] : null,
                    Hostname = service.Hostname,
                    Hosts = [.. service.ExtraHosts.Select(HostsEntry)],
                    DNSConfig = service.Dns.IsEmpty ? null : new DnsConfig { Nameservers = [.. service.Dns] },
                    Healthcheck = Healthcheck(service.Healthcheck),
                    Env = service.Environment.IsEmpty ? null : [.. service.Environment.Select(e => e.Key + "=" + e.Value).Order(StringComparer.Ordinal)],
                    Labels = WithNamespace(stack, service.Labels),
                    Mounts = [.. service.Volumes.Select(v => Mount(stack, project, v))],
                    StopGracePeriod = service.StopGracePeriod is { } grace ? Nanos(grace) : null,
                    Sysctls = service.Sysctls.IsEmpty ? null : new Dictionary<string, string>(service.Sysctls, StringComparer.Ordinal),
                },
                Resources = new ResourceRequirements
                {
                    Limits = deploy.Resources.Limits is { } limits
                        ? new ResourceLimit { NanoCPUs = limits.NanoCpus, MemoryBytes = limits.MemoryBytes, Pids = limits.Pids }
                        : null,
                    Reservations = deploy.Resources.Reservations is { } reservations
                        ? new NodeResources { NanoCPUs = reservations.NanoCpus, MemoryBytes = reservations.MemoryBytes }
                        : null,
                },
                RestartPolicy = RestartPolicy(service, deploy),
                Placement = new Placement
                {
                    Constraints = deploy.Placement.Constraints.IsEmpty ? null : [.. deploy.Placement.Constraints],
                    Preferences = [.. deploy.Placement.Preferences.Select(p => new PlacementPreference { Spread = new SpreadOver { SpreadDescriptor = p } })],
                    MaxReplicas = deploy.Placement.MaxReplicasPerNode,
                },
                Networks = ServiceNetworks(stack, project, service),
            },
            Mode = Mode(deploy),
            UpdateConfig = UpdateConfig(deploy.UpdateConfig),
            RollbackConfig = UpdateConfig(deploy.RollbackConfig),
            EndpointSpec = new EndpointSpecContract
            {
                Mode = deploy.EndpointMode?.ToLowerInvariant(),
                Ports = [.. service.Ports.Select(Port).OrderBy(p => p.PublishedPort)],
            },
        };
        return new StackService(spec.Name, spec, References(stack, service.Secrets, project.Secrets), References(stack, service.Configs, project.Configs));
    }

    /// <summary><c>name:address</c> → the hosts-file line docker writes, <c>address name</c>.</summary>
    private static string HostsEntry(string extraHost)
    {
        var colon = extraHost.IndexOf(':', StringComparison.Ordinal);
        return extraHost[(colon + 1)..] + " " + extraHost[..colon];
    }

    private static HealthcheckConfig? Healthcheck(ComposeHealthcheck? check) => check switch
    {
        null => null,
        { Disable: true } => new HealthcheckConfig { Test = ["NONE"] },
        _ => new HealthcheckConfig
        {
            Test = check.Test.IsEmpty ? null : [.. check.Test],
            Interval = check.Interval is { } interval ? Nanos(interval) : 0,
            Timeout = check.Timeout is { } timeout ? Nanos(timeout) : 0,
            StartPeriod = check.StartPeriod is { } start ? Nanos(start) : 0,
            Retries = check.Retries ?? 0,
        },
    };

    private static MountConfig Mount(string stack, ComposeProject project, ServiceVolume volume)
    {
        var mount = new MountConfig { Type = volume.Type, Source = volume.Source, Target = volume.Target, ReadOnly = volume.ReadOnly };
        if (volume.Type != "volume" || volume.Source.Length == 0)
        {
            return mount;
        }

        // A named volume: the stack's own (NAME_key, labelled, with its driver) or an external one, by its name.
        var named = project.Volumes[volume.Source];
        mount.Source = named.Name;
        mount.VolumeOptions = new MountVolumeOptions();
        if (!named.External)
        {
            mount.VolumeOptions.Labels = WithNamespace(stack, named.Labels);
            if (named.Driver is not null)
            {
                mount.VolumeOptions.DriverConfig = new MountDriverConfig { Name = named.Driver };
            }
        }

        return mount;
    }

    /// <summary><c>deploy.restart_policy</c>, else docker's reading of <c>restart:</c> (even though it warns that it ignores it).</summary>
    private static RestartPolicyContract? RestartPolicy(ComposeService service, ComposeDeploy deploy)
    {
        if (deploy.RestartPolicy is { } policy)
        {
            return new RestartPolicyContract
            {
                Condition = policy.Condition ?? "",
                Delay = policy.Delay is { } delay ? Nanos(delay) : null,
                MaxAttempts = policy.MaxAttempts,
                Window = policy.Window is { } window ? Nanos(window) : null,
            };
        }

        return service.Restart switch
        {
            null or "no" => null,
            "always" or "unless-stopped" => new RestartPolicyContract { Condition = "any" },
            var onFailure => new RestartPolicyContract
            {
                Condition = "on-failure",
                MaxAttempts = onFailure.Length > "on-failure:".Length ? ulong.Parse(onFailure["on-failure:".Length..], CultureInfo.InvariantCulture) : 0,
            },
        };
    }

    /// <summary>Each network by its Docker name, sorted; on a user-defined network the service's own key is an alias.</summary>
    private static List<NetworkAttachmentConfig> ServiceNetworks(string stack, ComposeProject project, ComposeService service)
    {
        var attachments = service.Networks.IsEmpty ? [new ServiceNetwork(DefaultNetwork)] : service.Networks;
        return
        [
            .. attachments.Select(n =>
            {
                var target = project.Networks.GetValueOrDefault(n.Network)?.Name ?? StackLabels.Scope(stack, n.Network);
                var aliases = n.Aliases.ToList();
                if (target is not ("default" or "bridge" or "host" or "none") && !target.StartsWith("container:", StringComparison.Ordinal))
                {
                    aliases.Add(service.Name);
                }

                return new NetworkAttachmentConfig { Target = target, Aliases = aliases };
            }).OrderBy(n => n.Target, StringComparer.Ordinal),
        ];
    }

    private static ServiceModeContract Mode(ComposeDeploy deploy) => deploy.Mode switch
    {
        "global" => new ServiceModeContract { Global = new ModeWithoutOptions() },
        "global-job" => new ServiceModeContract { GlobalJob = new ModeWithoutOptions() },
        "replicated-job" => new ServiceModeContract { ReplicatedJob = new ReplicatedJob { MaxConcurrent = deploy.Replicas, TotalCompletions = deploy.Replicas } },
        _ => new ServiceModeContract { Replicated = new ReplicatedService { Replicas = deploy.Replicas } },
    };

    private static UpdateConfig? UpdateConfig(ComposeUpdateConfig? config) => config is null ? null : new UpdateConfig
    {
        Parallelism = config.Parallelism ?? 1,
        Delay = Nanos(config.Delay),
        FailureAction = config.FailureAction,
        Monitor = Nanos(config.Monitor),
        MaxFailureRatio = config.MaxFailureRatio,
        Order = config.Order,
    };

    /// <summary>A port as docker's loader reads the short form (mode ingress); a range publishes its first port.</summary>
    private static PortConfig Port(ComposePort port) => new()
    {
        Protocol = port.Protocol,
        TargetPort = port.Target,
        PublishedPort = port.Published is { } published ? uint.Parse(published.Split('-')[0], CultureInfo.InvariantCulture) : 0,
        PublishMode = port.Mode ?? "ingress",
    };

    private static ImmutableArray<StackFileReference> References(
        string stack, ImmutableArray<ServiceFileReference> references, ImmutableSortedDictionary<string, ComposeFileObject> objects) =>
    [
        .. references.Select(r => new StackFileReference(
                objects[r.Source].Name ?? StackLabels.Scope(stack, r.Source), r.Target ?? r.Source, r.Uid ?? "0", r.Gid ?? "0", r.Mode ?? DefaultFileMode))
            .OrderBy(r => r.ObjectName, StringComparer.Ordinal),
    ];

    private static long Nanos(TimeSpan duration) => duration.Ticks * NanosPerTick;
}
