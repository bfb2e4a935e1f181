using Microsoft.Extensions.Logging;

namespace Berth.Network.Services;

/// <summary>Log messages of services on swarm-scoped networks (bindings, names, VIP load balancing); EventIds 2600–2649.</summary>
internal static partial class ServiceLog
{
    [LoggerMessage(EventId = 2600, Level = LogLevel.Information, Message = "service bindings followed: {Count} listed")]
    internal static partial void Following(ILogger logger, int count);

    [LoggerMessage(EventId = 2601, Level = LogLevel.Warning, Message = "watch on the cluster's service bindings was lost ({Reason}); listing again")]
    internal static partial void WatchLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Warning, Message = "service bindings: {What} failed; retrying")]
    internal static partial void Failed(ILogger logger, string what, Exception exception);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Warning, Message = "service binding {Key} cannot be read; ignored until it is replaced")]
    internal static partial void Unreadable(ILogger logger, string key);

    [LoggerMessage(EventId = 2604, Level = LogLevel.Debug, Message = "network {Network}: {Services} services, {Backends} backends")]
    internal static partial void ViewChanged(ILogger logger, string network, int services, int backends);

    [LoggerMessage(EventId = 2605, Level = LogLevel.Error, Message = "a consumer of the service table failed on network {Network}")]
    internal static partial void ConsumerFailed(ILogger logger, string network, Exception exception);

    [LoggerMessage(EventId = 2610, Level = LogLevel.Debug, Message = "container {Container}: load balancing table applied ({Commands} commands)")]
    internal static partial void LoadBalancerApplied(ILogger logger, string container, int commands);

    [LoggerMessage(EventId = 2611, Level = LogLevel.Error, Message = "container {Container}: applying the load balancing table failed; rebuilding it whole")]
    internal static partial void LoadBalancerFailed(ILogger logger, string container, Exception exception);

    [LoggerMessage(EventId = 2612, Level = LogLevel.Debug, Message = "container {Container}: load balancing removed")]
    internal static partial void LoadBalancerRemoved(ILogger logger, string container);
}
