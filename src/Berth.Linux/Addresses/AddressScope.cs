namespace Berth.Linux.Addresses;

/// <summary>rtm_scope / ifa_scope values (RT_SCOPE_*).</summary>
public enum AddressScope : byte
{
    Universe = 0,
    Site = 200,
    Link = 253,
    Host = 254,
    Nowhere = 255,
}
