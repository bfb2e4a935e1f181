namespace Berth.Linux.Rules;

/// <summary>What a matching rule does (FR_ACT_*).</summary>
public enum RuleAction : byte
{
    Unspecified = 0,

    /// <summary>Look the packet up in the rule's table.</summary>
    ToTable = 1,
    Goto = 2,
    Nop = 3,
    Blackhole = 6,
    Unreachable = 7,
    Prohibit = 8,
}
