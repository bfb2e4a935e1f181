using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using Berth.Linux.Namespaces;
using Berth.Linux.Netlink;

namespace Berth.Linux.Links;

/// <summary>
/// A link to create. Each spec becomes one RTM_NEWLINK. <see cref="Namespace"/> creates the link
/// directly inside another network namespace: far cheaper than creating it here and moving it
/// (a move unregisters the device under rtnl_lock, ~17 ms on this kind of machine).
/// </summary>
public abstract record LinkSpec
{
    protected LinkSpec(string name)
    {
        Name = LinkName.Validate(name);
    }

    public string Name { get; }

    /// <summary>The kernel's link kind (IFLA_INFO_KIND).</summary>
    public abstract string Kind { get; }

    /// <summary>The kernel build option that provides this kind, for error messages.</summary>
    public virtual string KernelOption => "CONFIG_" + Kind.ToUpperInvariant();

    public int? Mtu { get; init; }

    public PhysicalAddress? MacAddress { get; init; }

    /// <summary>A bridge to enslave the new link to (same namespace as the link).</summary>
    public LinkRef? Master { get; init; }

    /// <summary>Bring the link up in the same message.</summary>
    public bool Up { get; init; }

    /// <summary>Create the link inside this namespace (an open netns file) instead of the socket's own.</summary>
    public NetnsHandle? Namespace { get; init; }

    /// <summary>Writes IFLA_INFO_DATA, the kind-specific attributes; parent indexes already resolved.</summary>
    internal virtual void WriteInfoData(NetlinkMessageWriter writer, ResolvedLinks resolved)
    {
    }

    /// <summary>Attributes that go after IFLA_LINKINFO (veth writes its peer inside the info data instead).</summary>
    internal virtual void WriteTopLevel(NetlinkMessageWriter writer, ResolvedLinks resolved)
    {
    }

    /// <summary>Links named by this spec that must be resolved to indexes first (parent, underlay).</summary>
    internal virtual IEnumerable<LinkRef> Dependencies() => [];

    /// <summary>Link indexes resolved in the socket's namespace before the request is written.</summary>
    internal sealed class ResolvedLinks(Func<LinkRef, int> resolve)
    {
        public int this[LinkRef link] => resolve(link);
    }
}
