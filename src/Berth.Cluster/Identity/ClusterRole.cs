namespace Berth.Cluster.Identity;

/// <summary>What a node is in the cluster; its certificate says so in the OU (<see cref="ClusterRoles"/>).</summary>
public enum ClusterRole
{
    Worker,
    Manager,
}
