namespace Berth.Linux.Rules;

/// <summary>FRA_* attributes (linux/fib_rules.h).</summary>
internal static class RuleAttributes
{
    internal const ushort Destination = 1;
    internal const ushort Source = 2;
    internal const ushort InputInterfaceName = 3;
    internal const ushort Priority = 6;
    internal const ushort FwMark = 10;
    internal const ushort Table = 15;
    internal const ushort FwMask = 16;
    internal const ushort OutputInterfaceName = 17;
}
