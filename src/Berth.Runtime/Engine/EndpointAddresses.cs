namespace Berth.Runtime.Engine;

/// <summary>The addresses a container last had on one network: asked for again at its next start, so a restart keeps them.</summary>
public sealed record EndpointAddresses(string? IPv4, string? IPv6);
