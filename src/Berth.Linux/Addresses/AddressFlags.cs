namespace Berth.Linux.Addresses;

/// <summary>Address flags (IFA_F_*).</summary>
[Flags]
public enum AddressFlags : uint
{
    None = 0,
    Secondary = 0x01,

    /// <summary>Skip IPv6 duplicate address detection: the address is usable at once.</summary>
    NoDad = 0x02,
    Deprecated = 0x20,
    Tentative = 0x40,
    Permanent = 0x80,

    /// <summary>Do not add the prefix route for the address's subnet.</summary>
    NoPrefixRoute = 0x200,
}
