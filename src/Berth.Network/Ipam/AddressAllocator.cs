using System.Net;
using System.Net.Sockets;
using System.Numerics;
using Berth.Core.Errors;
using Berth.Core.Networks;

namespace Berth.Network.Ipam;

/// <summary>
/// Container addresses of one subnet of one network. Dynamic addresses come from the
/// <see cref="SubnetAllocation.IPRange"/> (or the whole subnet); a preferred address may lie anywhere
/// in the subnet (as in Docker). The network address, the IPv4 broadcast address, the gateway and the
/// auxiliary addresses are never handed out.
/// <para>
/// Order: next-fit. The search starts after the last dynamically allocated address and wraps to the
/// start of the range, so a released address is reused only after the rest of the range has been
/// handed out (Docker's serial allocation: a restarted container rarely gets an address another one
/// held a moment ago, which keeps stale ARP and DNS entries harmless). Preferred and restored
/// addresses do not move the cursor.
/// </para>
/// <para>
/// Storage: IPv4 subnets up to /<see cref="MinBitmapPrefixLength"/> use a bitmap over the subnet
/// (2 MiB for a /8), scanned 64 addresses per word; IPv6 and larger IPv4 subnets use a sparse set of
/// used offsets. Thread-safe: every operation holds one lock.
/// </para>
/// </summary>
public sealed class AddressAllocator
{
    /// <summary>IPv4 subnets from /8 down get a bitmap: 2^24 bits = 2 MiB at most.</summary>
    public const int MinBitmapPrefixLength = 8;

    private const int BitsPerWord = 64;

    private readonly Lock _lock = new();
    private readonly AddressFamily _family;
    private readonly UInt128 _rangeFirst;
    private readonly UInt128 _rangeLast;

    /// <summary>Used offsets within the subnet (bitmap form), or null when <see cref="_sparse"/> is used.</summary>
    private readonly ulong[]? _bitmap;
    private readonly HashSet<UInt128>? _sparse;

    /// <summary>Offsets that are never handed out or released, with what they are (for error messages).</summary>
    private readonly Dictionary<UInt128, string> _reserved = [];

    private UInt128 _freeInRange;
    private UInt128 _cursor;

    public AddressAllocator(string networkName, SubnetAllocation allocation)
    {
        ArgumentException.ThrowIfNullOrEmpty(networkName);
        ArgumentNullException.ThrowIfNull(allocation);
        NetworkName = networkName;
        Subnet = allocation.Subnet;
        Range = allocation.IPRange ?? allocation.Subnet;
        _family = Subnet.BaseAddress.AddressFamily;
        if (!IPNetworkMath.Contains(Subnet, Range))
        {
            throw new ArgumentException($"ip-range {Range} lies outside subnet {Subnet}", nameof(allocation));
        }

        _rangeFirst = IPNetworkMath.OffsetOf(Subnet, Range.BaseAddress);
        _rangeLast = _rangeFirst + IPNetworkMath.HostMask(Range);
        _freeInRange = _rangeLast - _rangeFirst == UInt128.MaxValue ? UInt128.MaxValue : _rangeLast - _rangeFirst + 1;
        _cursor = _rangeFirst;
        if (_family == AddressFamily.InterNetwork && Subnet.PrefixLength >= MinBitmapPrefixLength)
        {
            ulong count = (ulong)IPNetworkMath.AddressCount(Subnet);
            _bitmap = new ulong[(count + BitsPerWord - 1) / BitsPerWord];
        }
        else
        {
            _sparse = [];
        }

        // Point-to-point subnets (/31, /32, /127, /128) have no network or broadcast address.
        const int PointToPointAddresses = 2;
        if (IPNetworkMath.AddressCount(Subnet) > PointToPointAddresses)
        {
            ReserveFixed(Subnet.BaseAddress, "the network address");
            if (IPNetworkMath.Broadcast(Subnet) is { } broadcast)
            {
                ReserveFixed(broadcast, "the broadcast address");
            }
        }

        if (allocation.Gateway is { } gateway)
        {
            ReserveFixed(gateway, "the gateway");
        }

        foreach (var (name, address) in allocation.AuxiliaryAddresses)
        {
            ReserveFixed(address, $"auxiliary address {name}");
        }
    }

    public string NetworkName { get; }

    public IPNetwork Subnet { get; }

    /// <summary>Where dynamic addresses come from: the ip-range, or the subnet.</summary>
    public IPNetwork Range { get; }

    private string FamilyName => _family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";

    /// <summary>How many addresses of <see cref="Range"/> are still free (saturates at <see cref="UInt128.MaxValue"/>).</summary>
    public UInt128 Available
    {
        get
        {
            lock (_lock)
            {
                return _freeInRange;
            }
        }
    }

    /// <summary>
    /// Hands out <paramref name="preferred"/> (anywhere in the subnet) or, without one, the next free
    /// address of the range. InvalidArgument: outside the subnet. Conflict: <c>Address already in use</c>
    /// (taken, or the network, broadcast, gateway or an auxiliary address). Unavailable: range exhausted.
    /// </summary>
    public IPAddress Allocate(IPAddress? preferred = null)
    {
        lock (_lock)
        {
            if (preferred is not null)
            {
                Claim(preferred);
                return preferred;
            }

            if (_freeInRange == UInt128.Zero)
            {
                throw new BerthException(ErrorKind.Unavailable,
                    $"no available {FamilyName} addresses on network \"{NetworkName}\"; disconnect unused containers or use a larger --subnet or --ip-range");
            }

            UInt128 offset = FindFree();
            MarkUsed(offset);
            _cursor = offset == _rangeLast ? _rangeFirst : offset + 1;
            return IPNetworkMath.Add(Subnet.BaseAddress, offset);
        }
    }

    /// <summary>
    /// Marks an address as used when state is restored (an endpoint that already has it). Fails as
    /// <see cref="Allocate"/> with a preferred address does; the cursor does not move.
    /// </summary>
    public void Reserve(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_lock)
        {
            Claim(address);
        }
    }

    /// <summary>
    /// Marks an address as taken by someone else (a claim found in the state store), without failing: false when it
    /// was already used or reserved, or lies outside the subnet. The cursor does not move.
    /// </summary>
    public bool MarkTaken(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_lock)
        {
            if (address.AddressFamily != _family || !IPNetworkMath.Contains(Subnet, address))
            {
                return false;
            }

            UInt128 offset = IPNetworkMath.OffsetOf(Subnet, address);
            if (IsUsed(offset))
            {
                return false;
            }

            MarkUsed(offset);
            return true;
        }
    }

    /// <summary>
    /// Frees an address handed out before. Returns false when it was not in use, or when it is the
    /// network, broadcast, gateway or an auxiliary address (those stay reserved). InvalidArgument
    /// when it lies outside the subnet.
    /// </summary>
    public bool Release(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_lock)
        {
            UInt128 offset = OffsetInSubnet(address);
            if (_reserved.ContainsKey(offset) || !IsUsed(offset))
            {
                return false;
            }

            if (_bitmap is not null)
            {
                _bitmap[(int)(offset / BitsPerWord)] &= ~(1UL << (int)(offset % BitsPerWord));
            }
            else
            {
                _sparse!.Remove(offset);
            }

            if (InRange(offset))
            {
                _freeInRange++;
            }

            return true;
        }
    }

    /// <summary>True when the address is handed out or reserved (network, broadcast, gateway, auxiliary).</summary>
    public bool IsInUse(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_lock)
        {
            return IPNetworkMath.Contains(Subnet, address) && IsUsed(IPNetworkMath.OffsetOf(Subnet, address));
        }
    }

    private void ReserveFixed(IPAddress address, string what)
    {
        if (!IPNetworkMath.Contains(Subnet, address))
        {
            throw new ArgumentException($"{what} {address} lies outside subnet {Subnet}", nameof(address));
        }

        UInt128 offset = IPNetworkMath.OffsetOf(Subnet, address);
        if (_reserved.TryAdd(offset, what))
        {
            MarkUsed(offset);
        }
    }

    private void Claim(IPAddress address)
    {
        UInt128 offset = OffsetInSubnet(address);
        if (_reserved.TryGetValue(offset, out string? what))
        {
            throw new BerthException(ErrorKind.Conflict,
                $"Address already in use: {address} is {what} of network \"{NetworkName}\"; choose another --ip");
        }

        if (IsUsed(offset))
        {
            throw new BerthException(ErrorKind.Conflict,
                $"Address already in use: {address} on network \"{NetworkName}\"; choose another --ip or leave it out");
        }

        MarkUsed(offset);
    }

    private UInt128 OffsetInSubnet(IPAddress address)
    {
        if (!IPNetworkMath.Contains(Subnet, address))
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"requested address {address} is out of range: network \"{NetworkName}\" has subnet {Subnet}; choose an address inside it");
        }

        return IPNetworkMath.OffsetOf(Subnet, address);
    }

    private bool InRange(UInt128 offset) => offset >= _rangeFirst && offset <= _rangeLast;

    private bool IsUsed(UInt128 offset) => _bitmap is not null
        ? (_bitmap[(int)(offset / BitsPerWord)] & (1UL << (int)(offset % BitsPerWord))) != 0
        : _sparse!.Contains(offset);

    private void MarkUsed(UInt128 offset)
    {
        if (_bitmap is not null)
        {
            _bitmap[(int)(offset / BitsPerWord)] |= 1UL << (int)(offset % BitsPerWord);
        }
        else
        {
            _sparse!.Add(offset);
        }

        if (InRange(offset))
        {
            _freeInRange--;
        }
    }

    /// <summary>The first free offset from the cursor to the end of the range, then from its start. Only called when one exists.</summary>
    private UInt128 FindFree()
    {
        if (_bitmap is not null)
        {
            return ScanBitmap((uint)_cursor, (uint)_rangeLast)
                ?? ScanBitmap((uint)_rangeFirst, (uint)_rangeLast)
                ?? throw new InvalidOperationException("free-address count and bitmap disagree");
        }

        // At most _sparse.Count used offsets can stand in the way, so this ends.
        UInt128 candidate = _cursor;
        while (_sparse!.Contains(candidate))
        {
            candidate = candidate == _rangeLast ? _rangeFirst : candidate + 1;
        }

        return candidate;
    }

    private uint? ScanBitmap(uint from, uint to)
    {
        for (uint word = from / BitsPerWord; word <= to / BitsPerWord; word++)
        {
            ulong used = _bitmap![word];
            uint wordStart = word * BitsPerWord;

            // Treat bits outside [from, to] as used.
            if (from > wordStart)
            {
                used |= (1UL << (int)(from - wordStart)) - 1;
            }

            if (to < wordStart + BitsPerWord - 1)
            {
                used |= ~0UL << (int)(to - wordStart + 1);
            }

            if (used != ulong.MaxValue)
            {
                return wordStart + (uint)BitOperations.TrailingZeroCount(~used);
            }
        }

        return null;
    }
}
