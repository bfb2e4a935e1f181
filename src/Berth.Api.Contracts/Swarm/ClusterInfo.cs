namespace Berth.Api.Contracts;

/// <summary>
/// <c>ClusterInfo</c>: the swarm as <c>/info</c> shows it (<c>Swarm.Cluster</c>); <see cref="Swarm"/> adds the join
/// tokens for <c>GET /swarm</c>. Go writes every field here, zero times and empty structs included.
/// </summary>
public class ClusterInfo
{
    public string ID { get; set; } = "";

    public ObjectVersion Version { get; set; } = new();

    public string CreatedAt { get; set; } = GoZeroTime.Value;

    public string UpdatedAt { get; set; } = GoZeroTime.Value;

    public ClusterSpec Spec { get; set; } = new();

    public TlsInfo TLSInfo { get; set; } = new();

    public bool RootRotationInProgress { get; set; }

    /// <summary>Pools overlay subnets are taken from (<c>swarm init --default-addr-pool</c>), e.g. <c>10.0.0.0/8</c>.</summary>
    public List<string>? DefaultAddrPool { get; set; }

    /// <summary>Prefix length of each overlay subnet taken from <see cref="DefaultAddrPool"/> (24).</summary>
    public uint SubnetSize { get; set; }

    /// <summary>The VXLAN UDP port (4789).</summary>
    public uint DataPathPort { get; set; }
}
