using System.Net;
using Berth.Network.Dns;

namespace Berth.Diagnostics.Probes;

/// <summary>What one DNS query got: the response (any code: the server answered), or why there was none.</summary>
public sealed record DnsProbeResult(DnsResponse? Response, string? Failure = null)
{
    public bool Answered => Response is not null;

    /// <summary>The A records' addresses in the answer.</summary>
    public IReadOnlyList<IPAddress> Addresses => Response is null ? [] : [.. Response.Answers.Where(a => a.Address is not null).Select(a => a.Address!)];

    public override string ToString() => Response is null ? Failure ?? "no answer"
        : Response.ResponseCode == DnsResponseCode.NoError ? (Addresses.Count == 0 ? "no address" : string.Join(", ", Addresses))
        : Response.ResponseCode.ToString().ToUpperInvariant();
}
