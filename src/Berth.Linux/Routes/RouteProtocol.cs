namespace Berth.Linux.Routes;

/// <summary>rtm_protocol (RTPROT_*): who installed a route.</summary>
public enum RouteProtocol : byte
{
    Unspecified = 0,
    Redirect = 1,
    Kernel = 2,
    Boot = 3,
    Static = 4,
}
