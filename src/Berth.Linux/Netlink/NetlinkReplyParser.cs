namespace Berth.Linux.Netlink;

/// <summary>Turns one reply message into a value; returns false to skip the message.</summary>
public delegate bool NetlinkReplyParser<T>(in NetlinkMessage message, out T value);
