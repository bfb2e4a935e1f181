namespace Berth.Api.Contracts;

/// <summary>
/// <c>POST /swarm/init</c>; the reply is the new node's id as a JSON string. The CLI sends every field
/// (<c>"ListenAddr":"0.0.0.0:2377"</c>, <c>"SubnetSize":24</c>), docker-py only a few.
/// </summary>
public sealed class SwarmInitRequest
{
    /// <summary>Where the node listens for cluster traffic, <c>HOST:PORT</c> (2377) or an interface name.</summary>
    public string ListenAddr { get; set; } = "";

    /// <summary>The address other nodes reach this one at, <c>HOST[:PORT]</c> or an interface name; empty: guessed.</summary>
    public string AdvertiseAddr { get; set; } = "";

    public string DataPathAddr { get; set; } = "";

    public uint DataPathPort { get; set; }

    public bool ForceNewCluster { get; set; }

    public ClusterSpec Spec { get; set; } = new();

    public bool AutoLockManagers { get; set; }

    /// <summary><see cref="NodeAvailability"/> of this node; empty means active.</summary>
    public string Availability { get; set; } = "";

    public List<string>? DefaultAddrPool { get; set; }

    public uint SubnetSize { get; set; }
}
