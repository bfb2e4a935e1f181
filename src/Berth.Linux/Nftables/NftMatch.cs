using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// <c>selector [op] value</c>: <c>ip daddr 10.0.0.1</c>, <c>iifname != "br0"</c>, <c>ct state established,related</c>,
/// <c>ip saddr @allowed</c>.
/// </summary>
public sealed record NftMatch : NftStatement
{
    public NftMatch(NftSelector selector, NftValue value, NftOperator op = NftOperator.Equal)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(value);
        if (!Enum.IsDefined(op))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"nftables operator {(int)op} is not defined");
        }

        if (value is NftVerdict)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"a verdict cannot be matched against {selector.Render()}; use NftVerdictStatement");
        }

        Selector = selector;
        Value = value;
        Operator = op;
    }

    public NftSelector Selector { get; }

    public NftValue Value { get; }

    public NftOperator Operator { get; }

    internal override void RenderTo(StringBuilder sb)
    {
        sb.Append(Selector.Render()).Append(' ');
        sb.Append(Operator switch
        {
            NftOperator.Equal => "",
            NftOperator.NotEqual => "!= ",
            NftOperator.LessThan => "< ",
            NftOperator.GreaterThan => "> ",
            NftOperator.LessOrEqual => "<= ",
            _ => ">= ",
        });
        Value.RenderTo(sb);
    }
}
