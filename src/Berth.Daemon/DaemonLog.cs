using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>Log messages of berthd itself; EventIds 100–199.</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "berthd {Version} ready on {Hosts} in {ElapsedMs} ms (root {Root}, firewall {Firewall})")]
    internal static partial void Ready(ILogger logger, string version, string hosts, double elapsedMs, string root, FirewallMode firewall);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "berthd shutting down ({Signal})")]
    internal static partial void ShuttingDown(ILogger logger, string signal);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "berthd stopped")]
    internal static partial void Stopped(ILogger logger);

    // dockerd's own words (cmd/dockerd loadListeners), so those who search for them find the same advice.
    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "{Host}: Binding to IP address without --tlsverify is insecure and gives root access on this machine to everyone who has access to your network.")]
    internal static partial void UnauthenticatedTcp(ILogger logger, string host);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "--userns-remap: made the user and group {User} (useradd)")]
    internal static partial void RemapUserMade(ILogger logger, string user);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "--userns-remap: gave {User} the subordinate ids {Start}-{End} (usermod)")]
    internal static partial void RemapRangeAdded(ILogger logger, string user, uint start, uint end);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "--userns-remap: containers run in user namespaces, container root is host {Uid}:{Gid} ({User}); state under {Root}")]
    internal static partial void Remapping(ILogger logger, uint uid, uint gid, string user, string root);
}
