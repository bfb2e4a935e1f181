using Berth.Core.Addressing;

namespace Berth.Linux.Addresses;

/// <summary>An address on a link, as the kernel reports it.</summary>
public sealed record AddressInfo(int LinkIndex, IPPrefix Address, AddressScope Scope, AddressFlags Flags, string? Label);
