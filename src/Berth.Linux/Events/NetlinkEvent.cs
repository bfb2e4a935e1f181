namespace Berth.Linux.Events;

/// <summary>A change the kernel announced on a subscribed rtnetlink group.</summary>
public abstract record NetlinkEvent;
