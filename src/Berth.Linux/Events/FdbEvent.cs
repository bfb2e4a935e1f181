using Berth.Linux.Neighbours;

namespace Berth.Linux.Events;

/// <summary>A bridge FDB entry appeared, changed or went away.</summary>
public sealed record FdbEvent(bool Removed, FdbEntry Entry) : NetlinkEvent;
