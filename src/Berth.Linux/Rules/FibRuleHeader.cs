using System.Runtime.InteropServices;

namespace Berth.Linux.Rules;

/// <summary>struct fib_rule_hdr (linux/fib_rules.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FibRuleHeader
{
    internal const int Size = 12;

    public byte Family;
    public byte DestinationLength;
    public byte SourceLength;
    public byte Tos;
    public byte Table;
    public byte Reserved1;
    public byte Reserved2;
    public byte Action;
    public uint Flags;
}
