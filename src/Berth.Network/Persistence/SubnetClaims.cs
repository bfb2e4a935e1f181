using System.Collections.Immutable;
using System.Text;

namespace Berth.Network.Persistence;

/// <summary>
/// The subnets every network holds, as one store key (<see cref="NetworkRepository.SubnetsKey"/>), one line
/// <c>&lt;cidr&gt; &lt;network id&gt;</c> each. Every create and delete of a network with subnets rewrites it in the
/// transaction that writes the network, comparing its mod revision: two daemons picking subnets at once cannot both
/// commit, so overlaps are checked against a list that is still true at commit (overlap is not equality, so one key
/// per subnet could not guard it).
/// </summary>
public sealed record SubnetClaims(ImmutableArray<string> Lines, long ModRevision)
{
    public static SubnetClaims Absent { get; } = new([], 0);

    public static SubnetClaims Parse(ReadOnlySpan<byte> value, long modRevision) =>
        new([.. Encoding.UTF8.GetString(value).Split('\n', StringSplitOptions.RemoveEmptyEntries)], modRevision);

    public SubnetClaims With(IEnumerable<string> lines) => this with { Lines = Lines.AddRange(lines) };

    public SubnetClaims Without(string networkId) => this with { Lines = [.. Lines.Where(l => !l.EndsWith(" " + networkId, StringComparison.Ordinal))] };

    public byte[] Encode() => Encoding.UTF8.GetBytes(string.Concat(Lines.Select(l => l + "\n")));
}
