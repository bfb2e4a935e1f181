namespace Berth.Cli.Templates.Nodes;

public enum BranchKind
{
    If,
    Range,
    With,
}
