using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Linux.Addresses;
using Berth.Linux.Links;
using Berth.Linux.Netlink;
using Berth.Linux.Routes;

namespace Berth.Linux.Rules;

/// <summary>Encodes and decodes RTM_*RULE messages (struct fib_rule_hdr + FRA_* attributes).</summary>
internal static class RuleMessages
{
    internal static void Write(NetlinkMessageWriter writer, NetlinkMessageType type, NetlinkFlags flags, uint sequence, RuleSpec rule)
    {
        writer.BeginMessage(type, NetlinkFlags.Ack | flags, sequence);
        writer.WriteStruct(new FibRuleHeader
        {
            Family = AddressMessages.FamilyByte(rule.Family),
            DestinationLength = (byte)(rule.Destination?.PrefixLength ?? 0),
            SourceLength = (byte)(rule.Source?.PrefixLength ?? 0),
            Table = rule.Table < 256 ? (byte)rule.Table : (byte)RouteTable.Unspecified,
            Action = (byte)rule.Action,
        });
        if (rule.Priority is { } priority)
        {
            writer.WriteU32(RuleAttributes.Priority, (uint)priority);
        }

        if (rule.FwMark is { } mark)
        {
            writer.WriteU32(RuleAttributes.FwMark, mark);
        }

        if (rule.FwMask is { } mask)
        {
            writer.WriteU32(RuleAttributes.FwMask, mask);
        }

        if (rule.Source is { } source)
        {
            writer.WriteAddress(RuleAttributes.Source, source.BaseAddress);
        }

        if (rule.Destination is { } destination)
        {
            writer.WriteAddress(RuleAttributes.Destination, destination.BaseAddress);
        }

        if (rule.InputInterface is { } iif)
        {
            writer.WriteString(RuleAttributes.InputInterfaceName, LinkName.Validate(iif));
        }

        if (rule.OutputInterface is { } oif)
        {
            writer.WriteString(RuleAttributes.OutputInterfaceName, LinkName.Validate(oif));
        }

        if (rule.Action == RuleAction.ToTable)
        {
            writer.WriteU32(RuleAttributes.Table, (uint)rule.Table);
        }

        writer.EndMessage();
    }

    internal static void WriteDump(NetlinkMessageWriter writer, uint sequence, AddressFamily family)
    {
        writer.BeginMessage(NetlinkMessageType.GetRule, NetlinkFlags.Dump, sequence);
        writer.WriteStruct(new FibRuleHeader { Family = AddressMessages.FamilyByte(family) });
        writer.EndMessage();
    }

    internal static bool TryParse(in NetlinkMessage message, out RuleInfo rule)
    {
        rule = null!;
        if (message.Type != NetlinkMessageType.NewRule || message.Payload.Length < FibRuleHeader.Size)
        {
            return false;
        }

        var header = MemoryMarshal.Read<FibRuleHeader>(message.Payload);
        var family = header.Family == 10 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        IPAddress? source = null, destination = null;
        uint? mark = null, mask = null;
        string? iif = null, oif = null;
        int priority = 0, table = header.Table;
        foreach (var attribute in message.Attributes(FibRuleHeader.Size))
        {
            switch (attribute.Type)
            {
                case RuleAttributes.Priority:
                    priority = (int)attribute.U32;
                    break;
                case RuleAttributes.FwMark:
                    mark = attribute.U32;
                    break;
                case RuleAttributes.FwMask:
                    mask = attribute.U32;
                    break;
                case RuleAttributes.Source:
                    source = attribute.Address;
                    break;
                case RuleAttributes.Destination:
                    destination = attribute.Address;
                    break;
                case RuleAttributes.InputInterfaceName:
                    iif = attribute.String;
                    break;
                case RuleAttributes.OutputInterfaceName:
                    oif = attribute.String;
                    break;
                case RuleAttributes.Table:
                    table = (int)attribute.U32;
                    break;
            }
        }

        rule = new RuleInfo
        {
            Family = family,
            Priority = priority,
            FwMark = mark,
            FwMask = mask,
            Source = source is null ? null : new IPNetwork(source, header.SourceLength),
            Destination = destination is null ? null : new IPNetwork(destination, header.DestinationLength),
            InputInterface = iif,
            OutputInterface = oif,
            Table = table,
            Action = (RuleAction)header.Action,
        };
        return true;
    }
}
