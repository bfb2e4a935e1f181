namespace Berth.Linux.Events;

/// <summary>
/// The kernel dropped events because the socket buffer overflowed: whoever keeps state from events
/// must re-read it (dump) now.
/// </summary>
public sealed record EventsLost : NetlinkEvent;
