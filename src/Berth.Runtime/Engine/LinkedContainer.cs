using Berth.Network.Endpoints;

namespace Berth.Runtime.Engine;

/// <summary>A legacy link resolved at a start: the running linked container and its endpoint on the default bridge.</summary>
public sealed record LinkedContainer(LegacyLink Link, ContainerRecord Child, EndpointState OnBridge);
