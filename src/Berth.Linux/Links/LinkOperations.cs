using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using Berth.Linux.Namespaces;
using Berth.Core.Errors;
using Berth.Linux.Interop;
using Berth.Linux.Netlink;

namespace Berth.Linux.Links;

/// <summary>Links of one namespace (the namespace of the socket): create, change, delete, read.</summary>
public sealed class LinkOperations
{
    /// <summary>IFALIASZ - 1 (linux/if.h): the kernel keeps at most 255 bytes of an alias.</summary>
    public const int MaxAliasBytes = 255;

    private readonly NetlinkSocket _socket;

    internal LinkOperations(NetlinkSocket socket)
    {
        _socket = socket;
    }

    /// <summary>Creates a link in one RTM_NEWLINK. Names of parents and masters are resolved first.</summary>
    public void Create(LinkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var resolved = new LinkSpec.ResolvedLinks(link => ResolveDependency(spec, link));
        foreach (var dependency in spec.Dependencies())
        {
            _ = resolved[dependency];
        }

        if (spec.Master is { } master)
        {
            _ = resolved[master];
        }

        using var lease = new HandleLease(spec.Namespace);
        using var peerLease = new HandleLease((spec as VethSpec)?.PeerNamespace);
        var writer = new NetlinkMessageWriter();
        LinkMessages.WriteCreate(writer, _socket.NextSequence(), spec, resolved);
        _socket.Execute(writer, e => CreateFailed(spec, e));
    }

    public LinkInfo Get(LinkRef link) =>
        TryGet(link) ?? throw new KernelException(Errno.ENODEV, $"link {link} does not exist", kind: ErrorKind.NotFound);

    public LinkInfo? TryGet(LinkRef link)
    {
        try
        {
            var replies = _socket.Query<LinkInfo>((writer, sequence) => LinkMessages.WriteGet(writer, sequence, link), LinkMessages.TryParse);
            return replies.Count > 0 ? replies[0] : null;
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            return null;
        }
    }

    /// <summary>The index of a link; a link named by index is returned as is.</summary>
    public int IndexOf(LinkRef link) => link.Name is null ? link.Index : Get(link).Index;

    public IReadOnlyList<LinkInfo> List() =>
        _socket.Query<LinkInfo>((writer, sequence) => LinkMessages.WriteDump(writer, sequence), LinkMessages.TryParse);

    /// <summary>Every link's name and traffic counters (one RTM_GETLINK dump, IFLA_STATS64 only read).</summary>
    public IReadOnlyList<LinkStatistics> Statistics() =>
        _socket.Query<LinkStatistics>((writer, sequence) => LinkMessages.WriteDump(writer, sequence), LinkStatistics.TryParse);

    public void SetUp(LinkRef link) => Change(link, new LinkChange { Up = true }, "bring up");

    public void SetDown(LinkRef link) => Change(link, new LinkChange { Up = false }, "bring down");

    public void SetMtu(LinkRef link, int mtu) => Change(link, new LinkChange { Mtu = mtu }, $"set MTU {mtu} on");

    public void SetMacAddress(LinkRef link, PhysicalAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Change(link, new LinkChange { MacAddress = address }, $"set MAC address {address} on");
    }

    /// <summary>Makes <paramref name="link"/> a port of <paramref name="master"/>; null takes it off its bridge.</summary>
    public void SetMaster(LinkRef link, LinkRef? master)
    {
        int index = master is { } m ? IndexOf(m) : 0;
        Change(link, new LinkChange { MasterIndex = index }, master is { } bridge ? $"attach to {bridge}" : "detach from its master");
    }

    /// <summary>
    /// Hairpin mode of a bridge port: frames may be sent back out of the port they arrived on, so a container
    /// reaches itself through the host's address (published ports); the link must be a bridge port.
    /// </summary>
    public void SetHairpin(LinkRef link, bool on) => Change(link, new LinkChange { Hairpin = on }, $"turn hairpin mode {(on ? "on" : "off")} on");

    /// <summary>
    /// Sets bridge-port settings of <paramref name="link"/> (a port of a bridge); null leaves a setting alone.
    /// <paramref name="learning"/>: the bridge learns source MACs arriving here; <paramref name="unicastFlood"/>:
    /// frames to unknown MACs are flooded out of here.
    /// </summary>
    public void SetBridgePort(LinkRef link, bool? learning = null, bool? unicastFlood = null) =>
        Change(link, new LinkChange { PortLearning = learning, PortUnicastFlood = unicastFlood }, "change the bridge-port settings of");

    /// <summary>Leaves free text on a link (IFLA_IFALIAS, at most 255 bytes; <c>ip link set … alias</c>); "" removes it.</summary>
    public void SetAlias(LinkRef link, string alias)
    {
        ArgumentNullException.ThrowIfNull(alias);
        if (System.Text.Encoding.UTF8.GetByteCount(alias) > MaxAliasBytes)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"alias of link {link} is longer than {MaxAliasBytes} bytes");
        }

        Change(link, new LinkChange { Alias = alias }, "set the alias of");
    }

    public void Rename(LinkRef link, string newName)
    {
        LinkName.Validate(newName);
        Change(LinkRef.ByIndex(IndexOf(link)), new LinkChange { NewName = newName }, "rename");
    }

    /// <summary>
    /// Moves a link into another namespace (slow: the kernel unregisters and re-registers the
    /// device; create links in place where possible).
    /// </summary>
    public void MoveToNamespace(LinkRef link, NetnsHandle netns)
    {
        ArgumentNullException.ThrowIfNull(netns);
        using var lease = new HandleLease(netns);
        Change(link, new LinkChange { Namespace = netns }, "move to another namespace");
    }

    public void Delete(LinkRef link)
    {
        var writer = new NetlinkMessageWriter();
        LinkMessages.WriteDelete(writer, _socket.NextSequence(), link);
        _socket.Execute(writer, e => e.Errno == Errno.ENODEV
            ? new KernelException(e.Errno, $"cannot delete link {link}: it does not exist", e.KernelMessage, ErrorKind.NotFound)
            : new KernelException(e.Errno, $"cannot delete link {link}", e.KernelMessage));
    }

    /// <summary>Deletes a link if it exists; true if it did.</summary>
    public bool TryDelete(LinkRef link)
    {
        try
        {
            Delete(link);
            return true;
        }
        catch (KernelException e) when (e.Errno == Errno.ENODEV)
        {
            return false;
        }
    }

    internal static void WriteSetUp(NetlinkMessageWriter writer, uint sequence, LinkRef link) =>
        LinkMessages.WriteChange(writer, sequence, link, new LinkChange { Up = true });

    private void Change(LinkRef link, LinkChange change, string action)
    {
        var writer = new NetlinkMessageWriter();
        LinkMessages.WriteChange(writer, _socket.NextSequence(), link, change);
        _socket.Execute(writer, e => e.Errno switch
        {
            Errno.ENODEV => new KernelException(e.Errno, $"cannot {action} link {link}: it does not exist", e.KernelMessage, ErrorKind.NotFound),
            Errno.EEXIST when change.NewName is not null => new KernelException(e.Errno, $"cannot rename link {link} to \"{change.NewName}\": that name is taken", e.KernelMessage, ErrorKind.Conflict),
            _ => new KernelException(e.Errno, $"cannot {action} link {link}", e.KernelMessage),
        });
    }

    private int ResolveDependency(LinkSpec spec, LinkRef link)
    {
        if (link.Name is null)
        {
            return link.Index;
        }

        var info = TryGet(link);
        if (info is null)
        {
            string role = spec.Master == link ? "master" : spec is VxlanSpec ? "underlay link" : "parent link";
            throw new KernelException(Errno.ENODEV,
                $"cannot create {spec.Kind} \"{spec.Name}\": {role} {link} does not exist", kind: ErrorKind.NotFound);
        }

        return info.Index;
    }

    private KernelException CreateFailed(LinkSpec spec, NetlinkException e)
    {
        string subject = $"cannot create {spec.Kind} \"{spec.Name}\"";
        switch (e.Errno)
        {
            case Errno.EOPNOTSUPP:
                return new KernelException(e.Errno,
                    $"{subject}: this kernel does not support {spec.Kind} links (it was built without {spec.KernelOption}); use a kernel that has it",
                    e.KernelMessage, ErrorKind.NotSupported);
            case Errno.EEXIST when spec is VxlanSpec vxlan && spec.Namespace is null && TryGet(spec.Name) is null:
                return new KernelException(e.Errno,
                    $"{subject}: VXLAN id {vxlan.Vni} on port {vxlan.Port} is already used by another vxlan link",
                    e.KernelMessage, ErrorKind.Conflict);
            case Errno.EEXIST when spec is VxlanSpec vxlan && spec.Namespace is not null:
                // Created into another namespace, the device's name is checked there while its VNI and port
                // are checked here, where its UDP socket lives; either may have clashed.
                return new KernelException(e.Errno,
                    $"{subject}: a link of that name already exists in the target namespace, or VXLAN id {vxlan.Vni} on port {vxlan.Port} is already used by another vxlan link whose socket is in this namespace",
                    e.KernelMessage, ErrorKind.Conflict);
            case Errno.EEXIST:
                return new KernelException(e.Errno, $"{subject}: a link with that name already exists", e.KernelMessage, ErrorKind.Conflict);
            case Errno.EBUSY when spec is MacvlanSpec macvlan:
                return new KernelException(e.Errno,
                    $"{subject}: parent {macvlan.Parent} is busy (a bridge port, or taken by a passthru macvlan)",
                    e.KernelMessage, ErrorKind.Conflict);
            case Errno.EINVAL when spec is MacvlanSpec macvlan:
                // macvlan_common_newlink: a parent owned by a passthru macvlan takes no other macvlan,
                // and passthru needs a parent that has none.
                return new KernelException(e.Errno,
                    $"{subject}: parent {macvlan.Parent} refused it: a passthru macvlan already owns that parent, or passthru was asked for on a parent that already has macvlans",
                    e.KernelMessage, ErrorKind.Conflict);
            case Errno.ENODEV:
                return new KernelException(e.Errno, $"{subject}: a link it refers to does not exist", e.KernelMessage, ErrorKind.NotFound);
            case Errno.EINVAL when spec.Namespace is not null || (spec as VethSpec)?.PeerNamespace is not null:
                return new KernelException(e.Errno, $"{subject}: the target namespace handle is not a network namespace or the request is invalid", e.KernelMessage);
            default:
                return new KernelException(e.Errno, subject, e.KernelMessage);
        }
    }
}
