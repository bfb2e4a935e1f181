namespace Berth.Diagnostics.Topology;

/// <summary>Why a host interface is in the topology (<see cref="TopologyInterface.Roles"/>).</summary>
public static class TopologyRoles
{
    public const string DefaultRoute = "default route";

    public const string Parent = "macvlan parent";

    public const string Bridge = "bridge";
}
