namespace Berth.Linux.Addresses;

/// <summary>IFA_* attributes and IFA_F_* flags (linux/if_addr.h).</summary>
internal static class AddressAttributes
{
    internal const ushort Address = 1;
    internal const ushort Local = 2;
    internal const ushort Label = 3;
    internal const ushort Broadcast = 4;
    internal const ushort Flags = 8;
}
