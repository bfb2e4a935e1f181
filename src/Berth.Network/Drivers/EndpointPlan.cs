namespace Berth.Network.Drivers;

/// <summary>What a driver decides about an endpoint before it is recorded: the host side's interface name, if it has one.</summary>
public sealed record EndpointPlan(string? HostInterface)
{
    public static EndpointPlan None { get; } = new((string?)null);
}
