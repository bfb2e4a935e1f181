using System.Net;

namespace Berth.Network.Services;

/// <summary>One backend of a service on a network: a task container's endpoint there (of this node or another).</summary>
public sealed record ServiceBackend(string EndpointId, string ContainerId, string Node, IPAddress Address);
