namespace Berth.Cluster.Swarm;

/// <summary>Whether a node takes tasks (<c>node update --availability</c>).</summary>
public enum NodeAvailability
{
    Active,
    Pause,
    Drain,
}
