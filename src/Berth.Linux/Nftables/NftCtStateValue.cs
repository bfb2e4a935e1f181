using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>One or more conntrack states: <c>established,related</c>.</summary>
public sealed record NftCtStateValue : NftValue
{
    private static readonly (NftCtState State, string Text)[] Names =
    [
        (NftCtState.Invalid, "invalid"),
        (NftCtState.Established, "established"),
        (NftCtState.Related, "related"),
        (NftCtState.New, "new"),
        (NftCtState.Untracked, "untracked"),
    ];

    public NftCtStateValue(NftCtState states)
    {
        var all = Names.Aggregate(NftCtState.None, (acc, n) => acc | n.State);
        if (states == NftCtState.None || (states & ~all) != 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"conntrack state value {(int)states} is not valid; combine Invalid, Established, Related, New and Untracked");
        }

        States = states;
    }

    public NftCtState States { get; }

    internal override void RenderTo(StringBuilder sb) =>
        sb.Append(string.Join(',', Names.Where(n => States.HasFlag(n.State)).Select(n => n.Text)));
}
