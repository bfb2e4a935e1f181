using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Cluster.Identity;
using Berth.Cluster.Swarm;
using ContractAvailability = Berth.Api.Contracts.NodeAvailability;
using ContractNodeState = Berth.Api.Contracts.NodeState;
using ContractReachability = Berth.Api.Contracts.Reachability;
using ContractSwarm = Berth.Api.Contracts.Swarm;
using NodeAvailability = Berth.Cluster.Swarm.NodeAvailability;

namespace Berth.Api.SwarmMode;

/// <summary>The cluster's records ↔ Docker's swarm and node shapes (moby <c>api/types/swarm</c>).</summary>
internal static class SwarmContractMapper
{
    private const long NanosecondsPerTick = 100;

    /// <summary>swarmkit's raft defaults, shown so that <c>docker info</c> has what it prints; Berth's consensus is etcd's.</summary>
    private const ulong SnapshotInterval = 10000;
    private const ulong LogEntriesForSlowFollowers = 500;
    private const int ElectionTick = 10;
    private const int HeartbeatTick = 1;

    public static ContractSwarm ToSwarm(ClusterView view)
    {
        var swarm = new ContractSwarm { JoinTokens = new JoinTokens { Worker = view.Record.WorkerToken, Manager = view.Record.ManagerToken } };
        Fill(swarm, view);
        return swarm;
    }

    public static ClusterInfo ToClusterInfo(ClusterView view)
    {
        var info = new ClusterInfo();
        Fill(info, view);
        return info;
    }

    /// <summary>
    /// The spec a client sent, over the current one. External CAs (<c>--external-ca</c>) are refused: Berth signs node
    /// certificates with the cluster's own key only.
    /// </summary>
    public static ClusterSpecRecord ToSpec(ClusterSpec? spec, ClusterSpecRecord current)
    {
        // A JSON null decodes to null here where Go decodes it to the zero struct: every null part reads as an empty one.
        spec ??= new ClusterSpec();
        CAConfig ca = spec.CAConfig ?? new();
        if (ca.ExternalCAs is { Count: > 0 } external)
        {
            throw new Core.Errors.BerthException(Core.Errors.ErrorKind.InvalidArgument,
                $"--external-ca is not supported by Berth (CAConfig.ExternalCAs: {string.Join(", ", external.Select(ca => ca?.URL))}): Berth signs node certificates with the cluster's own CA key; rotate to a CA of your own with docker swarm ca --rotate --ca-cert FILE --ca-key FILE");
        }

        long heartbeat = spec.Dispatcher?.HeartbeatPeriod ?? 0;
        return current with
        {
            ForceRotate = ca.ForceRotate,
            Name = string.IsNullOrEmpty(spec.Name) ? current.Name : spec.Name,
            Labels = (spec.Labels ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
            TaskHistoryRetentionLimit = spec.Orchestration?.TaskHistoryRetentionLimit ?? current.TaskHistoryRetentionLimit,
            NodeCertExpiry = ca.NodeCertExpiry > 0 ? TimeSpan.FromTicks(ca.NodeCertExpiry / NanosecondsPerTick) : current.NodeCertExpiry,
            HeartbeatPeriod = heartbeat > 0 ? TimeSpan.FromTicks(heartbeat / NanosecondsPerTick) : current.HeartbeatPeriod,
            AutoLockManagers = spec.EncryptionConfig?.AutoLockManagers ?? false,
        };
    }

    public static Node ToNode(NodeView view)
    {
        NodeRecord record = view.Record;
        return new Node
        {
            ID = record.Id.Value,
            Version = new ObjectVersion { Index = (ulong)view.Version },
            CreatedAt = Rfc3339.FormatNano(record.CreatedAt),
            UpdatedAt = Rfc3339.FormatNano(record.UpdatedAt),
            Spec = new NodeSpec
            {
                Name = record.Name,
                Labels = new Dictionary<string, string>(record.Labels, StringComparer.Ordinal),
                Role = Role(record.Role),
                Availability = Availability(record.Availability),
            },
            Description = new NodeDescription
            {
                Hostname = record.Host.Hostname,
                Platform = new NodePlatform { Architecture = record.Host.Architecture, OS = record.Host.OS },
                Resources = new NodeResources { NanoCPUs = record.Host.NanoCpus, MemoryBytes = record.Host.MemoryBytes },
                Engine = new EngineDescription { EngineVersion = record.Host.EngineVersion },
                TLSInfo = view.Tls is { } tls
                    ? new TlsInfo { TrustRoot = tls.TrustRoot, CertIssuerSubject = tls.CertIssuerSubject, CertIssuerPublicKey = tls.CertIssuerPublicKey }
                    : new TlsInfo(),
            },
            Status = new NodeStatus
            {
                State = view.Liveness switch
                {
                    NodeLiveness.Ready => ContractNodeState.Ready,
                    NodeLiveness.Down => ContractNodeState.Down,
                    _ => ContractNodeState.Unknown,
                },
                Addr = record.Address,
            },
            ManagerStatus = view.Manager is { } manager
                ? new ManagerStatus
                {
                    Leader = manager.Leader,
                    Reachability = manager.Reachable ? ContractReachability.Reachable : ContractReachability.Unreachable,
                    Addr = manager.Address,
                }
                : null,
        };
    }

    public static NodeSpecChange ToSpecChange(NodeSpec spec) => new(
        string.IsNullOrEmpty(spec.Name) ? null : spec.Name,
        (spec.Labels ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
        spec.Role switch
        {
            NodeRole.Manager => ClusterRole.Manager,
            NodeRole.Worker => ClusterRole.Worker,
            _ => throw new Core.Errors.BerthException(Core.Errors.ErrorKind.InvalidArgument, $"invalid role \"{spec.Role}\": give {NodeRole.Worker} or {NodeRole.Manager}"),
        },
        ParseAvailability(spec.Availability));

    public static NodeAvailability ParseAvailability(string? availability) => availability switch
    {
        null or "" or ContractAvailability.Active => NodeAvailability.Active,
        ContractAvailability.Pause => NodeAvailability.Pause,
        ContractAvailability.Drain => NodeAvailability.Drain,
        _ => throw new Core.Errors.BerthException(Core.Errors.ErrorKind.InvalidArgument,
            $"invalid availability \"{availability}\": give {ContractAvailability.Active}, {ContractAvailability.Pause} or {ContractAvailability.Drain}"),
    };

    public static string LocalNodeStateOf(SwarmLocalState state) => state switch
    {
        SwarmLocalState.Active => LocalNodeState.Active,
        SwarmLocalState.Pending => LocalNodeState.Pending,
        SwarmLocalState.Error => LocalNodeState.Error,
        _ => LocalNodeState.Inactive,
    };

    private static string Role(ClusterRole role) => role == ClusterRole.Manager ? NodeRole.Manager : NodeRole.Worker;

    private static string Availability(NodeAvailability availability) => availability switch
    {
        NodeAvailability.Pause => ContractAvailability.Pause,
        NodeAvailability.Drain => ContractAvailability.Drain,
        _ => ContractAvailability.Active,
    };

    private static void Fill(ClusterInfo info, ClusterView view)
    {
        ClusterRecord record = view.Record;
        info.ID = record.Id.Value;
        info.Version = new ObjectVersion { Index = (ulong)view.Version };
        info.CreatedAt = Rfc3339.FormatNano(record.CreatedAt);
        info.UpdatedAt = Rfc3339.FormatNano(record.UpdatedAt);
        info.Spec = new ClusterSpec
        {
            Name = record.Spec.Name,
            Labels = new Dictionary<string, string>(record.Spec.Labels, StringComparer.Ordinal),
            Orchestration = new OrchestrationConfig { TaskHistoryRetentionLimit = record.Spec.TaskHistoryRetentionLimit },
            Raft = new RaftConfig
            {
                SnapshotInterval = SnapshotInterval,
                KeepOldSnapshots = 0,
                LogEntriesForSlowFollowers = LogEntriesForSlowFollowers,
                ElectionTick = ElectionTick,
                HeartbeatTick = HeartbeatTick,
            },
            Dispatcher = new DispatcherConfig { HeartbeatPeriod = record.Spec.HeartbeatPeriod.Ticks * NanosecondsPerTick },
            // Never the signing CA's certificate or key (moby leaves them out too: a get + update would send the cert without its key).
            CAConfig = new CAConfig { NodeCertExpiry = record.Spec.NodeCertExpiry.Ticks * NanosecondsPerTick, ForceRotate = record.Spec.ForceRotate },
            EncryptionConfig = new EncryptionConfig { AutoLockManagers = record.Spec.AutoLockManagers },
        };
        // As swarmkit: the trust root is the cluster's root until a rotation ends; the issuer is the root node
        // certificates should come from (the new one during a rotation), which `swarm ca --rotate` compares each node's with.
        using var issuer = X509Certificate2.CreateFromPem(RootRotationPlan.DesiredIssuer(record));
        info.TLSInfo = new TlsInfo
        {
            TrustRoot = record.CaCertificate,
            CertIssuerSubject = issuer.SubjectName.RawData,
            CertIssuerPublicKey = issuer.PublicKey.ExportSubjectPublicKeyInfo(),
        };
        info.RootRotationInProgress = record.RootRotation is not null;
        info.DefaultAddrPool = [.. record.DefaultAddrPool];
        info.SubnetSize = (uint)record.SubnetSize;
        info.DataPathPort = (uint)record.DataPathPort;
    }
}
