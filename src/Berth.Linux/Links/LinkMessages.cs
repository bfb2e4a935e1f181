using System.Net;
using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using Berth.Linux.Netlink;

namespace Berth.Linux.Links;

/// <summary>Encodes and decodes RTM_*LINK messages.</summary>
internal static class LinkMessages
{
    internal static void WriteCreate(NetlinkMessageWriter writer, uint sequence, LinkSpec spec, LinkSpec.ResolvedLinks resolved)
    {
        writer.BeginMessage(NetlinkMessageType.NewLink,
            NetlinkFlags.Ack | NetlinkFlags.Create | NetlinkFlags.Exclusive, sequence);
        writer.WriteStruct(new IfInfoMessage
        {
            Flags = spec.Up ? (uint)LinkFlags.Up : 0,
            Change = spec.Up ? (uint)LinkFlags.Up : 0,
        });
        writer.WriteString(LinkAttributes.IfName, spec.Name);
        if (spec.Mtu is { } mtu)
        {
            writer.WriteU32(LinkAttributes.Mtu, (uint)mtu);
        }

        if (spec.MacAddress is not null)
        {
            writer.WriteAttribute(LinkAttributes.Address, spec.MacAddress.GetAddressBytes());
        }

        if (spec.Master is { } master)
        {
            writer.WriteU32(LinkAttributes.Master, (uint)resolved[master]);
        }

        if (spec.Namespace is not null)
        {
            writer.WriteU32(LinkAttributes.NetNsFd, (uint)spec.Namespace.Fd);
        }

        spec.WriteTopLevel(writer, resolved);
        var linkInfo = writer.BeginNested(LinkAttributes.LinkInfo);
        writer.WriteString(LinkAttributes.InfoKind, spec.Kind);
        var data = writer.BeginNested(LinkAttributes.InfoData);
        spec.WriteInfoData(writer, resolved);
        writer.EndNested(data);
        writer.EndNested(linkInfo);
        writer.EndMessage();
    }

    /// <summary>
    /// Changes an existing link (RTM_NEWLINK without NLM_F_CREATE: ENODEV if it does not exist).
    /// A rename needs the index: with an index set, IFLA_IFNAME is the new name.
    /// </summary>
    internal static void WriteChange(NetlinkMessageWriter writer, uint sequence, LinkRef link, LinkChange change)
    {
        uint flags = change.Up == true ? (uint)LinkFlags.Up : 0;
        uint mask = change.Up is null ? 0 : (uint)LinkFlags.Up;
        WriteAddressed(writer, NetlinkMessageType.NewLink, NetlinkFlags.Ack, sequence, link, flags, mask);
        if (link.Name is null && change.NewName is not null)
        {
            writer.WriteString(LinkAttributes.IfName, change.NewName);
        }

        if (change.Mtu is { } mtu)
        {
            writer.WriteU32(LinkAttributes.Mtu, (uint)mtu);
        }

        if (change.MacAddress is not null)
        {
            writer.WriteAttribute(LinkAttributes.Address, change.MacAddress.GetAddressBytes());
        }

        if (change.MasterIndex is { } master)
        {
            writer.WriteU32(LinkAttributes.Master, (uint)master);
        }

        if (change.Namespace is not null)
        {
            writer.WriteU32(LinkAttributes.NetNsFd, (uint)change.Namespace.Fd);
        }

        if (change.Alias is not null)
        {
            // An empty IFLA_IFALIAS (no NUL) clears the alias; WriteString would send a 1-byte NUL, which sets "".
            if (change.Alias.Length == 0)
            {
                writer.WriteAttribute(LinkAttributes.IfAlias, []);
            }
            else
            {
                writer.WriteString(LinkAttributes.IfAlias, change.Alias);
            }
        }

        if (change.ChangesBridgePort)
        {
            // The bridge's slave_changelink reads them; the kind of the port itself is not needed for a change.
            var info = writer.BeginNested(LinkAttributes.LinkInfo);
            var slave = writer.BeginNested(LinkAttributes.InfoSlaveData);
            WriteBool(writer, LinkAttributes.BridgePortMode, change.Hairpin);
            WriteBool(writer, LinkAttributes.BridgePortLearning, change.PortLearning);
            WriteBool(writer, LinkAttributes.BridgePortUnicastFlood, change.PortUnicastFlood);
            writer.EndNested(slave);
            writer.EndNested(info);
        }

        writer.EndMessage();
    }

    private static void WriteBool(NetlinkMessageWriter writer, ushort type, bool? value)
    {
        if (value is { } on)
        {
            writer.WriteU8(type, on ? (byte)1 : (byte)0);
        }
    }

    internal static void WriteDelete(NetlinkMessageWriter writer, uint sequence, LinkRef link)
    {
        WriteAddressed(writer, NetlinkMessageType.DelLink, NetlinkFlags.Ack, sequence, link);
        writer.EndMessage();
    }

    internal static void WriteGet(NetlinkMessageWriter writer, uint sequence, LinkRef link)
    {
        WriteAddressed(writer, NetlinkMessageType.GetLink, NetlinkFlags.None, sequence, link);
        writer.EndMessage();
    }

    /// <summary>Begins a message about one existing link, named by index (ifi_index) or by name (IFLA_IFNAME).</summary>
    private static void WriteAddressed(NetlinkMessageWriter writer, NetlinkMessageType type, NetlinkFlags flags, uint sequence, LinkRef link, uint upFlags = 0, uint upMask = 0)
    {
        writer.BeginMessage(type, flags, sequence);
        writer.WriteStruct(new IfInfoMessage { Index = link.Index, Flags = upFlags, Change = upMask });
        if (link.Name is not null)
        {
            writer.WriteString(LinkAttributes.IfName, link.Name);
        }
    }

    internal static void WriteDump(NetlinkMessageWriter writer, uint sequence)
    {
        writer.BeginMessage(NetlinkMessageType.GetLink, NetlinkFlags.Dump, sequence);
        writer.WriteStruct(new IfInfoMessage());
        writer.EndMessage();
    }

    internal static bool TryParse(in NetlinkMessage message, out LinkInfo link)
    {
        link = null!;
        if (message.Type is not (NetlinkMessageType.NewLink or NetlinkMessageType.DelLink)
            || message.Payload.Length < IfInfoMessage.Size)
        {
            return false;
        }

        var header = MemoryMarshal.Read<IfInfoMessage>(message.Payload);
        string name = string.Empty;
        string? kind = null;
        string? alias = null;
        int mtu = 0;
        int? master = null, parent = null, netnsId = null;
        PhysicalAddress? mac = null;
        var operState = OperState.Unknown;
        MacvlanMode? macvlanMode = null;
        VxlanInfo? vxlan = null;
        BridgePortInfo? port = null;
        foreach (var attribute in message.Attributes(IfInfoMessage.Size))
        {
            switch (attribute.Type)
            {
                case LinkAttributes.IfName:
                    name = attribute.String;
                    break;
                case LinkAttributes.Mtu:
                    mtu = (int)attribute.U32;
                    break;
                case LinkAttributes.Address:
                    mac = new PhysicalAddress(attribute.Payload.ToArray());
                    break;
                case LinkAttributes.Master:
                    master = (int)attribute.U32;
                    break;
                case LinkAttributes.Link:
                    parent = (int)attribute.U32;
                    break;
                case LinkAttributes.LinkNetnsId:
                    netnsId = attribute.S32;
                    break;
                case LinkAttributes.OperState:
                    operState = (OperState)attribute.U8;
                    break;
                case LinkAttributes.IfAlias:
                    alias = attribute.String;
                    break;
                case LinkAttributes.LinkInfo:
                    ParseLinkInfo(attribute.Payload, ref kind, ref macvlanMode, ref vxlan, ref port);
                    break;
            }
        }

        link = new LinkInfo
        {
            Index = header.Index,
            Name = name,
            Kind = kind,
            Flags = (LinkFlags)header.Flags,
            Mtu = mtu,
            MacAddress = mac,
            MasterIndex = master is 0 ? null : master,
            ParentIndex = parent is 0 || parent == header.Index ? null : parent,
            LinkNetnsId = netnsId,
            OperState = operState,
            MacvlanMode = macvlanMode,
            VxlanId = vxlan?.Vni,
            Vxlan = vxlan,
            BridgePort = port,
            Alias = string.IsNullOrEmpty(alias) ? null : alias,
        };
        return true;
    }

    private static void ParseLinkInfo(ReadOnlySpan<byte> payload, ref string? kind, ref MacvlanMode? macvlanMode, ref VxlanInfo? vxlan, ref BridgePortInfo? port)
    {
        ReadOnlySpan<byte> data = default;
        string? slaveKind = null;
        ReadOnlySpan<byte> slaveData = default;
        foreach (var info in new NetlinkAttributeReader(payload))
        {
            switch (info.Type)
            {
                case LinkAttributes.InfoKind:
                    kind = info.String;
                    break;
                case LinkAttributes.InfoData:
                    data = info.Payload;
                    break;
                case LinkAttributes.InfoSlaveKind:
                    slaveKind = info.String;
                    break;
                case LinkAttributes.InfoSlaveData:
                    slaveData = info.Payload;
                    break;
            }
        }

        if (kind == "macvlan")
        {
            foreach (var attribute in new NetlinkAttributeReader(data))
            {
                if (attribute.Type == LinkAttributes.MacvlanMode)
                {
                    macvlanMode = (MacvlanMode)attribute.U32;
                }
            }
        }
        else if (kind == "vxlan")
        {
            vxlan = ParseVxlan(data);
        }

        if (slaveKind == "bridge")
        {
            port = ParseBridgePort(slaveData);
        }
    }

    private static VxlanInfo ParseVxlan(ReadOnlySpan<byte> data)
    {
        uint vni = 0;
        IPAddress? local = null;
        ushort port = 0;
        bool learning = false, proxy = false;
        foreach (var attribute in new NetlinkAttributeReader(data))
        {
            switch (attribute.Type)
            {
                case LinkAttributes.VxlanId:
                    vni = attribute.U32;
                    break;
                case LinkAttributes.VxlanLocal or LinkAttributes.VxlanLocal6:
                    local = attribute.Address;
                    break;
                case LinkAttributes.VxlanPort:
                    port = attribute.U16BigEndian;
                    break;
                case LinkAttributes.VxlanLearning:
                    learning = attribute.U8 != 0;
                    break;
                case LinkAttributes.VxlanProxy:
                    proxy = attribute.U8 != 0;
                    break;
            }
        }

        return new VxlanInfo { Vni = vni, Local = local, Port = port, Learning = learning, Proxy = proxy };
    }

    private static BridgePortInfo ParseBridgePort(ReadOnlySpan<byte> data)
    {
        bool learning = false, unicastFlood = false, hairpin = false;
        foreach (var attribute in new NetlinkAttributeReader(data))
        {
            switch (attribute.Type)
            {
                case LinkAttributes.BridgePortLearning:
                    learning = attribute.U8 != 0;
                    break;
                case LinkAttributes.BridgePortUnicastFlood:
                    unicastFlood = attribute.U8 != 0;
                    break;
                case LinkAttributes.BridgePortMode:
                    hairpin = attribute.U8 != 0;
                    break;
            }
        }

        return new BridgePortInfo { Learning = learning, UnicastFlood = unicastFlood, Hairpin = hairpin };
    }
}
