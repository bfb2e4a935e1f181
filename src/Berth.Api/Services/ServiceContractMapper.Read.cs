using System.Collections.Immutable;
using Berth.Api.Contracts;
using Berth.Cluster.Services;
using Model = Berth.Cluster.Services;

namespace Berth.Api.Services;

/// <summary>Docker's spec (a create or update request) → the model.</summary>
internal static partial class ServiceContractMapper
{
    private const string ContainerPath = "TaskTemplate.ContainerSpec";

    /// <summary>
    /// The model of a request's spec, or InvalidArgument naming every bad field. An empty name stays empty (create
    /// picks one, as Docker does).
    /// </summary>
    public static Model.ServiceSpec ToModel(ServiceSpecContract spec)
    {
        var problems = new SpecProblems();
        Model.TaskSpec? task = ReadTask(spec.TaskTemplate, problems);
        Model.ServiceMode mode = ReadMode(spec.Mode, problems);
        UpdatePolicy? update = ReadUpdate(spec.UpdateConfig, "UpdateConfig", problems);
        UpdatePolicy? rollback = ReadUpdate(spec.RollbackConfig, "RollbackConfig", problems);
        ServiceEndpointSpec endpoint = ReadEndpoint(spec.EndpointSpec, problems);
        problems.ThrowIfAny();
        return new Model.ServiceSpec
        {
            Name = spec.Name ?? "",
            Labels = ReadMap(spec.Labels),
            Task = task!,
            Mode = mode,
            Update = update,
            Rollback = rollback,
            Endpoint = endpoint,
        };
    }

    private static Model.TaskSpec? ReadTask(TaskSpecContract? template, SpecProblems problems)
    {
        if (template?.Runtime is { Length: > 0 } runtime && runtime != "container")
        {
            problems.Add($"TaskTemplate.Runtime \"{runtime}\" is not supported: Berth's services run containers only (Runtime \"container\")");
        }

        if (template?.Resources?.Reservations?.GenericResources is { Count: > 0 })
        {
            problems.Add("TaskTemplate.Resources.Reservations.GenericResources is not supported by Berth yet: reserve NanoCPUs and MemoryBytes only");
        }

        if (template?.ContainerSpec is not { } container)
        {
            problems.Add($"{ContainerPath} is missing: a service runs a container; give at least its Image");
            return null;
        }

        return new Model.TaskSpec
        {
            Container = ReadContainer(container, problems),
            Resources = new TaskResources
            {
                LimitNanoCpus = template.Resources?.Limits?.NanoCPUs ?? 0,
                LimitMemoryBytes = template.Resources?.Limits?.MemoryBytes ?? 0,
                LimitPids = template.Resources?.Limits?.Pids ?? 0,
                ReserveNanoCpus = template.Resources?.Reservations?.NanoCPUs ?? 0,
                ReserveMemoryBytes = template.Resources?.Reservations?.MemoryBytes ?? 0,
            },
            Restart = ReadRestart(template.RestartPolicy, problems),
            Placement = new TaskPlacement
            {
                Constraints = ReadList(template.Placement?.Constraints),
                Spread = [.. (template.Placement?.Preferences ?? []).Select(preference => preference?.Spread?.SpreadDescriptor).OfType<string>()],
                MaxReplicas = template.Placement?.MaxReplicas ?? 0,
                Platforms = [.. (template.Placement?.Platforms ?? []).OfType<NodePlatform>().Select(platform => $"{platform.OS}/{platform.Architecture}")],
            },
            Networks = ReadNetworks(template.Networks, problems),
            LogDriver = template.LogDriver is { } driver ? new TaskLogDriver(driver.Name ?? "") { Options = ReadMap(driver.Options) } : null,
            ForceUpdate = template.ForceUpdate,
        };
    }

    private static ContainerTaskSpec ReadContainer(ContainerSpecContract container, SpecProblems problems)
    {
        if (string.IsNullOrWhiteSpace(container.Image))
        {
            problems.Add("ContainerSpec: image reference must be provided");
        }

        if (container.Isolation is { Length: > 0 } isolation && isolation != "default")
        {
            problems.Add($"{ContainerPath}.Isolation \"{isolation}\" is not supported: Linux containers have only \"default\"");
        }

        return new ContainerTaskSpec
        {
            Image = container.Image ?? "",
            Labels = ReadMap(container.Labels),
            Command = ReadOptionalList(container.Command),
            Args = ReadOptionalList(container.Args),
            Hostname = NullIfEmpty(container.Hostname),
            Env = ReadList(container.Env),
            Dir = NullIfEmpty(container.Dir),
            User = NullIfEmpty(container.User),
            Groups = ReadList(container.Groups),
            Tty = container.TTY,
            OpenStdin = container.OpenStdin,
            ReadOnly = container.ReadOnly,
            Mounts = ReadMounts(container.Mounts, problems),
            StopSignal = NullIfEmpty(container.StopSignal),
            StopGracePeriod = ReadDuration(container.StopGracePeriod, $"{ContainerPath}.StopGracePeriod", problems),
            Healthcheck = ReadHealthcheck(container.Healthcheck, problems),
            Hosts = ReadList(container.Hosts),
            DnsNameservers = ReadList(container.DNSConfig?.Nameservers),
            DnsSearch = ReadList(container.DNSConfig?.Search),
            DnsOptions = ReadList(container.DNSConfig?.Options),
            Init = container.Init,
            CapabilityAdd = ReadList(container.CapabilityAdd),
            CapabilityDrop = ReadList(container.CapabilityDrop),
            Sysctls = ReadMap(container.Sysctls),
            Secrets = ReadSecrets(container.Secrets, problems),
            Configs = ReadConfigs(container.Configs, problems),
        };
    }

    private static ImmutableArray<ServiceMount> ReadMounts(List<MountConfig>? mounts, SpecProblems problems)
    {
        var read = ImmutableArray.CreateBuilder<ServiceMount>();
        foreach ((MountConfig mount, int index) in (mounts ?? []).OfType<MountConfig>().Select((mount, index) => (mount, index)))
        {
            string path = $"{ContainerPath}.Mounts[{index}]";
            string? type = MountTypes.FirstOrDefault(known => string.Equals(known, mount.Type, StringComparison.OrdinalIgnoreCase));
            if (type is null)
            {
                problems.Add(string.IsNullOrEmpty(mount.Type)
                    ? $"{path}.Type is missing: give one of {string.Join(", ", MountTypes)}"
                    : $"{path}.Type \"{mount.Type}\" is not one of {string.Join(", ", MountTypes)}");
            }

            if (string.IsNullOrEmpty(mount.Target))
            {
                problems.Add($"{path}.Target is missing: give the path inside the container");
            }

            read.Add(new ServiceMount(type ?? "", mount.Target ?? "") { Source = NullIfEmpty(mount.Source), ReadOnly = mount.ReadOnly });
        }

        return read.ToImmutable();
    }

    private static TaskHealthcheck? ReadHealthcheck(HealthcheckConfig? health, SpecProblems problems)
    {
        if (health is null)
        {
            return null;
        }

        const string Path = ContainerPath + ".Healthcheck";
        if (health.Retries < 0)
        {
            problems.Add($"{Path}.Retries cannot be negative ({health.Retries})");
        }

        return new TaskHealthcheck
        {
            Test = ReadList(health.Test),
            Interval = ReadRequiredDuration(health.Interval, $"{Path}.Interval", problems),
            Timeout = ReadRequiredDuration(health.Timeout, $"{Path}.Timeout", problems),
            StartPeriod = ReadRequiredDuration(health.StartPeriod, $"{Path}.StartPeriod", problems),
            StartInterval = ReadRequiredDuration(health.StartInterval, $"{Path}.StartInterval", problems),
            Retries = health.Retries,
        };
    }

    private static TaskRestartPolicy? ReadRestart(RestartPolicyContract? restart, SpecProblems problems) => restart is null ? null : new TaskRestartPolicy
    {
        Condition = Choose(RestartConditions, restart.Condition, "TaskTemplate.RestartPolicy.Condition", RestartCondition.Any, problems),
        Delay = ReadDuration(restart.Delay, "TaskTemplate.RestartPolicy.Delay", problems),
        MaxAttempts = restart.MaxAttempts,
        Window = ReadDuration(restart.Window, "TaskTemplate.RestartPolicy.Window", problems),
    };

    private static ImmutableArray<TaskNetwork> ReadNetworks(List<NetworkAttachmentConfig>? networks, SpecProblems problems)
    {
        var read = ImmutableArray.CreateBuilder<TaskNetwork>();
        foreach ((NetworkAttachmentConfig network, int index) in (networks ?? []).OfType<NetworkAttachmentConfig>().Select((network, index) => (network, index)))
        {
            if (string.IsNullOrEmpty(network.Target))
            {
                problems.Add($"TaskTemplate.Networks[{index}].Target is missing: give the network's name or id");
            }

            read.Add(new TaskNetwork(network.Target ?? "") { Aliases = ReadList(network.Aliases), DriverOpts = ReadMap(network.DriverOpts) });
        }

        return read.ToImmutable();
    }

    /// <summary>Exactly one mode; none is Docker's default, one replica. Global modes take no options.</summary>
    private static Model.ServiceMode ReadMode(ServiceModeContract? mode, SpecProblems problems)
    {
        if (mode?.Unknown is { Count: > 0 } unknown)
        {
            problems.Add($"Mode: unknown service mode {string.Join(", ", unknown.Keys.Select(key => $"\"{key}\""))}: give one of Replicated, Global, ReplicatedJob, GlobalJob");
        }

        int given = (mode?.Replicated is null ? 0 : 1) + (mode?.Global is null ? 0 : 1) + (mode?.ReplicatedJob is null ? 0 : 1) + (mode?.GlobalJob is null ? 0 : 1);
        if (given > 1)
        {
            problems.Add("Mode: must specify only one service mode (Replicated, Global, ReplicatedJob or GlobalJob)");
        }

        RefuseOptions(mode?.Global, "Mode.Global", problems);
        RefuseOptions(mode?.GlobalJob, "Mode.GlobalJob", problems);
        if (mode?.Global is not null)
        {
            return Model.ServiceMode.Global;
        }

        if (mode?.GlobalJob is not null)
        {
            return new Model.ServiceMode(ServiceModeKind.GlobalJob);
        }

        if (mode?.ReplicatedJob is { } job)
        {
            // moby: no MaxConcurrent means 1, no TotalCompletions means MaxConcurrent.
            ulong total = job.TotalCompletions ?? job.MaxConcurrent ?? 1;
            if (job.MaxConcurrent is { } concurrent && concurrent != total)
            {
                problems.Add($"Mode.ReplicatedJob.MaxConcurrent ({concurrent}) other than TotalCompletions ({total}) is not supported by Berth yet; give the same number or leave MaxConcurrent out");
            }

            return new Model.ServiceMode(ServiceModeKind.ReplicatedJob, total);
        }

        return Model.ServiceMode.Replicated(mode?.Replicated?.Replicas ?? 1);
    }

    private static void RefuseOptions(ModeWithoutOptions? mode, string path, SpecProblems problems)
    {
        if (mode?.Unexpected is { Count: > 0 } unexpected)
        {
            problems.Add($"{path} takes no options (got {string.Join(", ", unexpected.Keys.Select(key => $"\"{key}\""))}); replicas are for Mode.Replicated");
        }
    }

    /// <summary>moby's conversion: a zero <c>Monitor</c> is unset, which swarmkit runs as its 5 s default.</summary>
    private static UpdatePolicy? ReadUpdate(UpdateConfig? config, string path, SpecProblems problems) => config is null ? null : new UpdatePolicy
    {
        Parallelism = config.Parallelism,
        Delay = ReadRequiredDuration(config.Delay, $"{path}.Delay", problems),
        FailureAction = Choose(FailureActions, config.FailureAction, $"{path}.FailureAction", UpdateFailureAction.Pause, problems),
        Monitor = config.Monitor == 0 ? UpdatePolicy.Default.Monitor : ReadRequiredDuration(config.Monitor, $"{path}.Monitor", problems),
        MaxFailureRatio = config.MaxFailureRatio,
        Order = Choose(UpdateOrders, config.Order, $"{path}.Order", UpdateOrder.StopFirst, problems),
    };

    private static ServiceEndpointSpec ReadEndpoint(EndpointSpecContract? endpoint, SpecProblems problems)
    {
        if (endpoint is null)
        {
            return new ServiceEndpointSpec();
        }

        var ports = ImmutableArray.CreateBuilder<ServicePort>();
        foreach ((PortConfig port, int index) in (endpoint.Ports ?? []).OfType<PortConfig>().Select((port, index) => (port, index)))
        {
            string path = $"EndpointSpec.Ports[{index}]";
            ports.Add(new ServicePort(
                Choose(Protocols, port.Protocol, $"{path}.Protocol", PortProtocol.Tcp, problems),
                ReadPort(port.TargetPort, $"{path}.TargetPort", "1-65535", problems),
                ReadPort(port.PublishedPort, $"{path}.PublishedPort", "0-65535 (0: the swarm picks one)", problems),
                Choose(PublishModes, port.PublishMode, $"{path}.PublishMode", PublishMode.Ingress, problems))
            {
                Name = NullIfEmpty(port.Name),
            });
        }

        return new ServiceEndpointSpec
        {
            Mode = Choose(EndpointModes, endpoint.Mode, "EndpointSpec.Mode", EndpointMode.Vip, problems),
            Ports = ports.ToImmutable(),
        };
    }

    private static ushort ReadPort(uint port, string path, string range, SpecProblems problems)
    {
        if (port > ushort.MaxValue)
        {
            problems.Add($"{path} {port} is out of range: give {range}");
            return 0;
        }

        return (ushort)port;
    }

    /// <summary>One of <paramref name="choices"/> by its Docker name (any case, as moby's upper-casing lookups); empty is <paramref name="unset"/>.</summary>
    private static T Choose<T>((string Name, T Value)[] choices, string? given, string path, T unset, SpecProblems problems)
        where T : struct, Enum
    {
        if (string.IsNullOrEmpty(given))
        {
            return unset;
        }

        foreach ((string name, T value) in choices)
        {
            if (string.Equals(name, given, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        problems.Add($"{path} \"{given}\" is not one of {string.Join(", ", choices.Select(choice => choice.Name))}");
        return unset;
    }

    private static TimeSpan? ReadDuration(long? nanoseconds, string path, SpecProblems problems) =>
        nanoseconds is { } value ? ReadRequiredDuration(value, path, problems) : null;

    private static TimeSpan ReadRequiredDuration(long nanoseconds, string path, SpecProblems problems)
    {
        if (nanoseconds < 0)
        {
            problems.Add($"{path} cannot be negative ({nanoseconds} ns)");
            return TimeSpan.Zero;
        }

        return FromNanoseconds(nanoseconds);
    }

    /// <summary>A JSON <c>null</c> inside a list is Go's empty string.</summary>
    private static ImmutableArray<string> ReadList(List<string>? items) => items is null ? [] : [.. items.Select(item => item ?? "")];

    /// <summary>Go leaves an empty list out, and the engine reads it as unset (the image's command, say).</summary>
    private static ImmutableArray<string>? ReadOptionalList(List<string>? items) => items is { Count: > 0 } ? ReadList(items) : null;

    private static ImmutableSortedDictionary<string, string> ReadMap(Dictionary<string, string>? map) =>
        (map ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal);

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
