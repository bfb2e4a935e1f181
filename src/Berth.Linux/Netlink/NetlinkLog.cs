using Microsoft.Extensions.Logging;

namespace Berth.Linux.Netlink;

/// <summary>Log messages of the netlink client; EventIds 1000–1099.</summary>
internal static partial class NetlinkLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Trace, Message = "netlink send seq={Sequence} messages={Count} bytes={Bytes}: {Hex}")]
    internal static partial void Sent(ILogger logger, uint sequence, int count, int bytes, string hex);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Trace, Message = "netlink recv type={Type} flags={Flags} seq={Sequence} bytes={Bytes}")]
    internal static partial void Received(ILogger logger, NetlinkMessageType type, NetlinkFlags flags, uint sequence, int bytes);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "netlink {Request} failed: {Errno} {KernelMessage}")]
    internal static partial void RequestFailed(ILogger logger, NetlinkMessageType request, Interop.Errno errno, string? kernelMessage);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "netlink dump {Request} was interrupted by a concurrent change; retrying (attempt {Attempt})")]
    internal static partial void DumpRetry(ILogger logger, NetlinkMessageType request, int attempt);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "netlink monitor lost events (receive buffer overrun); state should be re-read")]
    internal static partial void MonitorOverrun(ILogger logger);
}
