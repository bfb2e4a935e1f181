namespace Berth.Core.Networks;

/// <summary>
/// One entry of <c>IPAM.Config</c> as the client sent it (strings, unparsed): echoed back exactly,
/// and validated by IPAM before anything is made.
/// </summary>
public sealed record IpamPoolRequest
{
    public string? Subnet { get; init; }

    public string? IPRange { get; init; }

    public string? Gateway { get; init; }

    /// <summary>Names to addresses that must never be handed out (<c>--aux-address host1=10.0.0.5</c>).</summary>
    public IReadOnlyDictionary<string, string>? AuxiliaryAddresses { get; init; }
}
