using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// A verdict: <c>accept</c>, <c>drop</c>, <c>return</c>, <c>continue</c>, <c>jump chain</c>, <c>goto chain</c>.
/// A value so it can be verdict-map data; in a rule it is wrapped by <see cref="NftVerdictStatement"/>.
/// </summary>
public sealed record NftVerdict : NftValue
{
    private NftVerdict(NftVerdictKind kind, string? target)
    {
        Kind = kind;
        Target = target;
    }

    public NftVerdictKind Kind { get; }

    /// <summary>The chain for <see cref="NftVerdictKind.Jump"/> and <see cref="NftVerdictKind.Goto"/>; otherwise null.</summary>
    public string? Target { get; }

    public static NftVerdict Accept { get; } = new(NftVerdictKind.Accept, null);

    public static NftVerdict Drop { get; } = new(NftVerdictKind.Drop, null);

    public static NftVerdict Return { get; } = new(NftVerdictKind.Return, null);

    public static NftVerdict Continue { get; } = new(NftVerdictKind.Continue, null);

    public static NftVerdict Jump(string chain) => new(NftVerdictKind.Jump, NftText.Identifier(chain, "jump target chain"));

    public static NftVerdict Goto(string chain) => new(NftVerdictKind.Goto, NftText.Identifier(chain, "goto target chain"));

    internal override void RenderTo(StringBuilder sb)
    {
        sb.Append(Kind switch
        {
            NftVerdictKind.Accept => "accept",
            NftVerdictKind.Drop => "drop",
            NftVerdictKind.Return => "return",
            NftVerdictKind.Continue => "continue",
            NftVerdictKind.Jump => "jump ",
            NftVerdictKind.Goto => "goto ",
            _ => throw new BerthException(ErrorKind.InvalidArgument, $"nftables verdict kind {(int)Kind} is not defined"),
        });
        if (Target is not null)
        {
            sb.Append(Target);
        }
    }
}
