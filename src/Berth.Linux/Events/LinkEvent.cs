using Berth.Linux.Links;

namespace Berth.Linux.Events;

/// <summary>A link appeared or changed (<see cref="Removed"/> false), or went away.</summary>
public sealed record LinkEvent(bool Removed, LinkInfo Link) : NetlinkEvent;
