using System.Collections.Immutable;
using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Cluster.Services;
using Model = Berth.Cluster.Services;

namespace Berth.Api.Services;

/// <summary>
/// The model → Docker's <c>Service</c> and spec, as moby's <c>ServiceFromGRPC</c> writes them: the parts the CLI
/// always sends (<c>Resources</c>, <c>Placement</c>, <c>DNSConfig</c>) always shown, <c>Isolation</c> <c>default</c>,
/// a service's <c>Runtime</c> <c>container</c>, <c>RestartPolicy.MaxAttempts</c> always with its policy.
/// </summary>
internal static partial class ServiceContractMapper
{
    /// <param name="insertDefaults">moby's <c>insertDefaults</c>: swarmkit's defaults (<c>api/defaults.Service</c>) in place of what the spec leaves unset.</param>
    /// <param name="withStatus"><c>GET /services?status=true</c>: the task counts.</param>
    public static Service ToService(ServiceView view, bool insertDefaults, bool withStatus)
    {
        ServiceRecord record = view.Record;
        return new Service
        {
            ID = record.Id.Value,
            Version = new ObjectVersion { Index = (ulong)view.Version },
            CreatedAt = Rfc3339.FormatNano(record.CreatedAt),
            UpdatedAt = Rfc3339.FormatNano(record.UpdatedAt),
            Spec = ToContract(record.Spec, insertDefaults),
            PreviousSpec = record.PreviousSpec is { } previous ? ToContract(previous, insertDefaults) : null,
            Endpoint = new ServiceEndpoint
            {
                Spec = WriteEndpoint(record.Spec.Endpoint),
                Ports = WritePorts(record.Ports),
                VirtualIPs = record.VirtualIps.IsDefaultOrEmpty
                    ? null
                    : [.. record.VirtualIps.Select(vip => new EndpointVirtualIp { NetworkID = vip.NetworkId, Addr = vip.Address })],
            },
            UpdateStatus = record.UpdateStatus is { } update
                ? new UpdateStatus
                {
                    State = NameOf(UpdateStates, update.State),
                    StartedAt = Rfc3339.FormatNano(update.StartedAt),
                    CompletedAt = update.CompletedAt is { } completed ? Rfc3339.FormatNano(completed) : null,
                    Message = NullIfEmpty(update.Message),
                }
                : null,
            ServiceStatus = withStatus
                ? new ServiceStatus { RunningTasks = (ulong)view.RunningTasks, DesiredTasks = (ulong)view.DesiredTasks, CompletedTasks = (ulong)view.CompletedTasks }
                : null,
        };
    }

    public static ServiceSpecContract ToContract(Model.ServiceSpec spec, bool insertDefaults = false) => new()
    {
        Name = spec.Name,
        Labels = WriteMap(spec.Labels),
        TaskTemplate = WriteTask(spec.Task, insertDefaults, runtime: "container"),
        Mode = WriteMode(spec.Mode),
        UpdateConfig = WriteUpdate(spec.Update ?? (insertDefaults ? UpdatePolicy.Default : null)),
        RollbackConfig = WriteUpdate(spec.Rollback ?? (insertDefaults ? UpdatePolicy.Default : null)),
        EndpointSpec = WriteEndpoint(spec.Endpoint),
    };

    /// <param name="runtime">A service's template shows its runtime; a task's spec does not (moby's <c>taskSpecFromGRPC</c>).</param>
    private static TaskSpecContract WriteTask(Model.TaskSpec task, bool insertDefaults, string? runtime) => new()
    {
        ContainerSpec = WriteContainer(task.Container, insertDefaults),
        Resources = new ResourceRequirements
        {
            Limits = new ResourceLimit { NanoCPUs = task.Resources.LimitNanoCpus, MemoryBytes = task.Resources.LimitMemoryBytes, Pids = task.Resources.LimitPids },
            Reservations = new NodeResources { NanoCPUs = task.Resources.ReserveNanoCpus, MemoryBytes = task.Resources.ReserveMemoryBytes },
        },
        RestartPolicy = WriteRestart(task.Restart ?? (insertDefaults ? new TaskRestartPolicy() : null), insertDefaults),
        Placement = new Placement
        {
            Constraints = WriteList(task.Placement.Constraints),
            Preferences = task.Placement.Spread.IsDefaultOrEmpty
                ? null
                : [.. task.Placement.Spread.Select(descriptor => new PlacementPreference { Spread = new SpreadOver { SpreadDescriptor = descriptor } })],
            MaxReplicas = task.Placement.MaxReplicas,
            Platforms = task.Placement.Platforms.IsDefaultOrEmpty ? null : [.. task.Placement.Platforms.Select(WritePlatform)],
        },
        Networks = task.Networks.IsDefaultOrEmpty
            ? null
            : [.. task.Networks.Select(network => new NetworkAttachmentConfig { Target = network.Target, Aliases = WriteList(network.Aliases), DriverOpts = WriteOptionalMap(network.DriverOpts) })],
        LogDriver = task.LogDriver is { } driver ? new SwarmDriver { Name = NullIfEmpty(driver.Name), Options = WriteOptionalMap(driver.Options) } : null,
        ForceUpdate = task.ForceUpdate,
        Runtime = runtime,
    };

    private static ContainerSpecContract WriteContainer(ContainerTaskSpec container, bool insertDefaults) => new()
    {
        Image = container.Image,
        Labels = WriteOptionalMap(container.Labels),
        Command = container.Command is { } command ? WriteList(command) : null,
        Args = container.Args is { } args ? WriteList(args) : null,
        Hostname = NullIfEmpty(container.Hostname),
        Env = WriteList(container.Env),
        Dir = NullIfEmpty(container.Dir),
        User = NullIfEmpty(container.User),
        Groups = WriteList(container.Groups),
        Init = container.Init,
        StopSignal = NullIfEmpty(container.StopSignal),
        TTY = container.Tty,
        OpenStdin = container.OpenStdin,
        ReadOnly = container.ReadOnly,
        Mounts = container.Mounts.IsDefaultOrEmpty
            ? null
            : [.. container.Mounts.Select(mount => new MountConfig { Type = mount.Type, Source = NullIfEmpty(mount.Source), Target = mount.Target, ReadOnly = mount.ReadOnly })],
        StopGracePeriod = (container.StopGracePeriod ?? (insertDefaults ? DefaultStopGracePeriod : null)) is { } grace ? Nanoseconds(grace) : null,
        Healthcheck = container.Healthcheck is { } health
            ? new HealthcheckConfig
            {
                Test = WriteList(health.Test),
                Interval = Nanoseconds(health.Interval),
                Timeout = Nanoseconds(health.Timeout),
                StartPeriod = Nanoseconds(health.StartPeriod),
                StartInterval = Nanoseconds(health.StartInterval),
                Retries = health.Retries,
            }
            : null,
        Hosts = WriteList(container.Hosts),
        DNSConfig = new DnsConfig { Nameservers = WriteList(container.DnsNameservers), Search = WriteList(container.DnsSearch), Options = WriteList(container.DnsOptions) },
        Isolation = "default",
        Sysctls = WriteOptionalMap(container.Sysctls),
        CapabilityAdd = WriteList(container.CapabilityAdd),
        CapabilityDrop = WriteList(container.CapabilityDrop),
        Secrets = WriteSecrets(container.Secrets),
        Configs = WriteConfigs(container.Configs),
    };

    /// <summary>moby always shows <c>MaxAttempts</c>; swarmkit's default delay goes in with <paramref name="insertDefaults"/>.</summary>
    private static RestartPolicyContract? WriteRestart(TaskRestartPolicy? restart, bool insertDefaults) => restart is null ? null : new RestartPolicyContract
    {
        Condition = NameOf(RestartConditions, restart.Condition),
        Delay = (restart.Delay ?? (insertDefaults ? TaskRestartPolicy.DefaultDelay : null)) is { } delay ? Nanoseconds(delay) : null,
        MaxAttempts = restart.MaxAttempts ?? 0,
        Window = restart.Window is { } window ? Nanoseconds(window) : null,
    };

    /// <summary><c>os/architecture</c> (the architecture may hold a variant after another slash).</summary>
    private static NodePlatform WritePlatform(string platform)
    {
        int slash = platform.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? new NodePlatform { OS = NullIfEmpty(platform) }
            : new NodePlatform { OS = NullIfEmpty(platform[..slash]), Architecture = NullIfEmpty(platform[(slash + 1)..]) };
    }

    /// <summary>The replica count is always written: the CLI's wait loop fails on a replicated service without one.</summary>
    private static ServiceModeContract WriteMode(Model.ServiceMode mode) => mode.Kind switch
    {
        ServiceModeKind.Global => new ServiceModeContract { Global = new ModeWithoutOptions() },
        ServiceModeKind.GlobalJob => new ServiceModeContract { GlobalJob = new ModeWithoutOptions() },
        ServiceModeKind.ReplicatedJob => new ServiceModeContract { ReplicatedJob = new ReplicatedJob { MaxConcurrent = mode.Replicas, TotalCompletions = mode.Replicas } },
        _ => new ServiceModeContract { Replicated = new ReplicatedService { Replicas = mode.Replicas } },
    };

    private static UpdateConfig? WriteUpdate(UpdatePolicy? policy) => policy is null ? null : new UpdateConfig
    {
        Parallelism = policy.Parallelism,
        Delay = Nanoseconds(policy.Delay),
        FailureAction = NameOf(FailureActions, policy.FailureAction),
        Monitor = Nanoseconds(policy.Monitor),
        MaxFailureRatio = policy.MaxFailureRatio,
        Order = NameOf(UpdateOrders, policy.Order),
    };

    private static EndpointSpecContract WriteEndpoint(ServiceEndpointSpec endpoint) => new()
    {
        Mode = NameOf(EndpointModes, endpoint.Mode),
        Ports = WritePorts(endpoint.Ports),
    };

    private static List<PortConfig>? WritePorts(ImmutableArray<ServicePort> ports) => ports.IsDefaultOrEmpty ? null : [.. ports.Select(WritePort)];

    private static PortConfig WritePort(ServicePort port) => new()
    {
        Name = NullIfEmpty(port.Name),
        Protocol = NameOf(Protocols, port.Protocol),
        TargetPort = port.TargetPort,
        PublishedPort = port.PublishedPort,
        PublishMode = NameOf(PublishModes, port.Mode),
    };

    /// <summary>Go's <c>omitempty</c>: an empty list is left out.</summary>
    private static List<string>? WriteList(ImmutableArray<string> items) => items.IsDefaultOrEmpty ? null : [.. items];

    /// <summary>Annotations' labels: always written, <c>{}</c> when none (moby's <c>annotationsFromGRPC</c>); sorted as Go writes maps.</summary>
    private static Dictionary<string, string> WriteMap(IReadOnlyDictionary<string, string> map) => new(map, StringComparer.Ordinal);

    private static Dictionary<string, string>? WriteOptionalMap(IReadOnlyDictionary<string, string> map) => map.Count == 0 ? null : WriteMap(map);
}
