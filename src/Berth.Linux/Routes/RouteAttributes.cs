namespace Berth.Linux.Routes;

/// <summary>RTA_* attributes, RTNH_F_* flags and well-known tables (linux/rtnetlink.h).</summary>
internal static class RouteAttributes
{
    internal const ushort Destination = 1;
    internal const ushort OutputInterface = 4;
    internal const ushort Gateway = 5;
    internal const ushort Priority = 6;
    internal const ushort PreferredSource = 7;
    internal const ushort Table = 15;

    internal const uint OnLinkFlag = 4; // RTNH_F_ONLINK
}
