using Microsoft.Extensions.Logging;

namespace Berth.Network.Firewall;

/// <summary>Log messages of the bridge-network firewall; EventIds 2200–2299.</summary>
internal static partial class FirewallLog
{
    [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "firewall table {Table} created")]
    public static partial void TableCreated(this ILogger logger, string table);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Debug, Message = "firewall table {Table} already has the expected shape {Fingerprint}; kept with its elements")]
    public static partial void TableKept(this ILogger logger, string table, string fingerprint);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "firewall table {Table} had another shape; replaced it with shape {Fingerprint}, so every network's rules must be re-added by reconcile")]
    public static partial void TableReplaced(this ILogger logger, string table, string fingerprint);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Debug, Message = "firewall rules added for {Rules}")]
    public static partial void BridgeAdded(this ILogger logger, BridgeRules rules);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Debug, Message = "firewall rules removed for {Rules}")]
    public static partial void BridgeRemoved(this ILogger logger, BridgeRules rules);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Debug, Message = "firewall rules of bridge {Bridge} not removed: Berth's firewall tables do not exist")]
    public static partial void NothingToRemove(this ILogger logger, string bridge);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Information, Message = "firewall tables removed")]
    public static partial void RemovedAll(this ILogger logger);

    [LoggerMessage(EventId = 2207, Level = LogLevel.Debug, Message = "{Count} published port(s) added: {Ports}")]
    public static partial void PortsAdded(this ILogger logger, int count, string ports);

    [LoggerMessage(EventId = 2208, Level = LogLevel.Debug, Message = "{Count} published port(s) removed: {Ports}")]
    public static partial void PortsRemoved(this ILogger logger, int count, string ports);

    [LoggerMessage(EventId = 2209, Level = LogLevel.Information, Message = "accept rules for Berth's bridges updated in other tables' forward chains ({Commands} change(s)): {Chains}")]
    public static partial void ForeignRulesUpdated(this ILogger logger, int commands, string chains);

    [LoggerMessage(EventId = 2210, Level = LogLevel.Warning, Message = "cannot update Berth's accept rules in other tables' forward chains; retrying at the next check. {Reason}")]
    public static partial void ForeignRulesFailed(this ILogger logger, string reason);

    [LoggerMessage(EventId = 2211, Level = LogLevel.Debug, Message = "forward chain {Chain} of another table vanished while being read; skipped")]
    public static partial void ForeignChainVanished(this ILogger logger, string chain);

    [LoggerMessage(EventId = 2212, Level = LogLevel.Debug, Message = "entry interface {Interface}: its routed traffic is let through")]
    public static partial void EntryAdded(this ILogger logger, string @interface);

    [LoggerMessage(EventId = 2213, Level = LogLevel.Debug, Message = "entry interface {Interface}: no longer let through")]
    public static partial void EntryRemoved(this ILogger logger, string @interface);
}
