using System.Net.Sockets;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Linux.Interop;
using Berth.Linux.Links;
using Berth.Linux.Netlink;

namespace Berth.Linux.Addresses;

/// <summary>IPv4 and IPv6 addresses of the links of one namespace.</summary>
public sealed class AddressOperations
{
    private readonly NetlinkSocket _socket;
    private readonly LinkOperations _links;

    internal AddressOperations(NetlinkSocket socket, LinkOperations links)
    {
        _socket = socket;
        _links = links;
    }

    /// <summary>Adds an address; IPv4 gets the subnet's broadcast address, as <c>ip addr add ... brd +</c>.</summary>
    public void Add(LinkRef link, IPPrefix address, AddressFlags flags = AddressFlags.None)
    {
        int index = _links.IndexOf(link);
        var writer = new NetlinkMessageWriter();
        AddressMessages.WriteAdd(writer, _socket.NextSequence(), index, address, flags);
        _socket.Execute(writer, e => e.Errno switch
        {
            Errno.EEXIST => new KernelException(e.Errno, $"address {address} is already on link {link}", e.KernelMessage, ErrorKind.Conflict),
            Errno.ENODEV => new KernelException(e.Errno, $"cannot add address {address}: link {link} does not exist", e.KernelMessage, ErrorKind.NotFound),
            _ => new KernelException(e.Errno, $"cannot add address {address} to link {link}", e.KernelMessage),
        });
    }

    public void Delete(LinkRef link, IPPrefix address)
    {
        int index = _links.IndexOf(link);
        var writer = new NetlinkMessageWriter();
        AddressMessages.WriteDelete(writer, _socket.NextSequence(), index, address);
        _socket.Execute(writer, e => e.Errno is Errno.EADDRNOTAVAIL or Errno.ENODEV or Errno.ENOENT
            ? new KernelException(e.Errno, $"cannot delete address {address}: it is not on link {link}", e.KernelMessage, ErrorKind.NotFound)
            : new KernelException(e.Errno, $"cannot delete address {address} from link {link}", e.KernelMessage));
    }

    /// <summary>Addresses in this namespace, optionally of one link and one family.</summary>
    public IReadOnlyList<AddressInfo> List(LinkRef? link = null, AddressFamily? family = null)
    {
        var all = _socket.Query<AddressInfo>((writer, sequence) => AddressMessages.WriteDump(writer, sequence, family), AddressMessages.TryParse);
        if (link is not { } filter)
        {
            return all;
        }

        int index = _links.IndexOf(filter);
        return all.Where(a => a.LinkIndex == index).ToList();
    }
}
