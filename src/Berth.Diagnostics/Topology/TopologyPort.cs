namespace Berth.Diagnostics.Topology;

/// <summary>
/// A published port: <see cref="HostAddress"/>:<see cref="HostPort"/> on this host (every node's, for ingress) leads
/// to <see cref="Target"/> (<c>172.18.0.2:80/tcp</c>, or a service's target port) of <see cref="Owner"/> (a container
/// or service) through <see cref="Via"/> (the network, or <c>ingress</c>/<c>host mode</c> for a service).
/// </summary>
public sealed record TopologyPort(string Owner, string HostAddress, int HostPort, string Protocol, string Target, string Via);
