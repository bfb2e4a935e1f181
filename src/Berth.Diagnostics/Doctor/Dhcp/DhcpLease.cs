using System.Net;

namespace Berth.Diagnostics.Doctor.Dhcp;

/// <summary>An address a DHCP server on this host has leased: to which MAC (lower case, colons) and host name, where the file says.</summary>
public sealed record DhcpLease(IPAddress Address, string? Mac, string? Hostname);
