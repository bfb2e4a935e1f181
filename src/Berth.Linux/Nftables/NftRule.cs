using System.Collections.Immutable;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>A rule: statements in order, then an optional comment. <c>ip daddr 10.0.0.1 counter accept comment "x"</c>.</summary>
public sealed record NftRule
{
    public NftRule(ImmutableArray<NftStatement> statements, string? comment = null)
    {
        if (statements.IsDefaultOrEmpty || statements.Any(s => s is null))
        {
            throw new BerthException(ErrorKind.InvalidArgument, "an nftables rule needs at least one statement");
        }

        Statements = statements;
        Comment = comment;
        if (comment is not null)
        {
            NftText.QuotedComment(comment, "rule");
        }
    }

    public NftRule(params NftStatement[] statements)
        : this(ImmutableArray.Create(statements))
    {
    }

    public ImmutableArray<NftStatement> Statements { get; }

    public string? Comment { get; }

    public NftRule WithComment(string comment) => new(Statements, comment);

    public bool Equals(NftRule? other) => other is not null && Comment == other.Comment && Statements.SequenceEqual(other.Statements);

    public override int GetHashCode() => HashCode.Combine(Comment, Statements.Length);

    public string Render()
    {
        var sb = new StringBuilder();
        RenderTo(sb);
        return sb.ToString();
    }

    internal void RenderTo(StringBuilder sb)
    {
        for (int i = 0; i < Statements.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            Statements[i].RenderTo(sb);
        }

        if (Comment is not null)
        {
            sb.Append(" comment ").Append(NftText.QuotedComment(Comment, "rule"));
        }
    }
}
