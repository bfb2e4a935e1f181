using Berth.Core.Errors;

namespace Berth.Cluster.Identity;

/// <summary>The names swarmkit gives the roles in certificates (<c>ca/config.go</c>): OU and DNS names.</summary>
public static class ClusterRoles
{
    public const string ManagerUnit = "swarm-manager";
    public const string WorkerUnit = "swarm-worker";

    /// <summary>The root CA's CN, and a DNS name every manager's certificate carries too (managers can sign).</summary>
    public const string CaName = "swarm-ca";

    public static string OrganizationalUnit(this ClusterRole role) => role switch
    {
        ClusterRole.Manager => ManagerUnit,
        ClusterRole.Worker => WorkerUnit,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "a node is a worker or a manager"),
    };

    public static ClusterRole FromOrganizationalUnit(string? unit) => unit switch
    {
        ManagerUnit => ClusterRole.Manager,
        WorkerUnit => ClusterRole.Worker,
        _ => throw new BerthException(ErrorKind.InvalidArgument, $"certificate role \"{unit}\" is neither {ManagerUnit} nor {WorkerUnit}; it was not issued by a cluster CA"),
    };
}
