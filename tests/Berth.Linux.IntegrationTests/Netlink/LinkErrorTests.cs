using Berth.Core.Errors;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;

namespace Berth.Linux.IntegrationTests.Netlink;

/// <summary>What the user is told when the kernel says no: the kind of error, and a message naming the object.</summary>
public sealed class LinkErrorTests : LabTest
{
    [RootFact]
    public void MissingParentIsNamed()
    {
        using var ns = NetworkNamespace.Create(Manager, "errors");
        var e = Assert.Throws<KernelException>(() => ns.Links.Create(new MacvlanSpec("mv0", "eth9")));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("cannot create macvlan \"mv0\": parent link \"eth9\" does not exist (ENODEV: No such device)", e.Message);
        Assert.Null(ns.Links.TryGet("mv0"));

        e = Assert.Throws<KernelException>(() => ns.Links.Create(new VxlanSpec("vx0", 1) { Underlay = "eth9" }));
        Assert.Contains("underlay link \"eth9\" does not exist", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<KernelException>(() => ns.Links.Get("eth9"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.StartsWith("link \"eth9\" does not exist", e.Message, StringComparison.Ordinal);
        Close(ns);
    }

    [RootFact]
    public void SixteenCharacterNameNeverReachesTheKernel()
    {
        using var ns = NetworkNamespace.Create(Manager, "errors");
        var e = Assert.Throws<BerthException>(() => ns.Links.Create(new BridgeSpec("abcdefghijklmnop")));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("Linux allows at most 15", e.Message, StringComparison.Ordinal);

        // The kernel agrees: 16 characters fail policy validation with ERANGE.
        Assert.False(InNetns.Run(ns.Handle.Path, "ip", "link", "add", "abcdefghijklmnop", "type", "bridge").Succeeded);
        Close(ns);
    }

    [RootFact]
    public void DuplicateNameIsAConflict()
    {
        using var ns = NetworkNamespace.Create(Manager, "errors");
        ns.Links.Create(new BridgeSpec("br0"));
        var e = Assert.Throws<KernelException>(() => ns.Links.Create(new VethSpec("br0", "peer0")));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.StartsWith("cannot create veth \"br0\": a link with that name already exists", e.Message, StringComparison.Ordinal);
        Assert.Null(ns.Links.TryGet("peer0"));
        Close(ns);
    }

    [RootFact]
    public void MacvlanOnABridgePortIsBusy()
    {
        using var ns = NetworkNamespace.Create(Manager, "errors");
        ns.Links.Create(new BridgeSpec("br0"));
        ns.Links.Create(new VethSpec("v0", "v1") { Master = "br0" });
        var e = Assert.Throws<KernelException>(() => ns.Links.Create(new MacvlanSpec("mv0", "v0")));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Contains("parent \"v0\" is busy", e.Message, StringComparison.Ordinal);
        Close(ns);
    }

    [RootFact]
    public void DummyNeedsConfigDummy() => AssertKernelSupportMatchesIp(new DummySpec("dummy0"), "dummy", "CONFIG_DUMMY");

    [RootFact]
    public void IpvlanNeedsConfigIpvlan() => AssertKernelSupportMatchesIp(new IpvlanSpec("ipvl0", "v0"), "ipvlan", "CONFIG_IPVLAN");

    [RootFact]
    public void VlanSubInterfaceNeedsConfigVlan8021q() => AssertKernelSupportMatchesIp(new VlanSpec("v0.10", "v0", 10), "vlan", "CONFIG_VLAN_8021Q");

    /// <summary>
    /// Where the kernel lacks a link kind (this project's CI kernel lacks dummy, ipvlan and 802.1q), the
    /// error says so and names the build option; where it has it (asked of <c>ip</c> first), Berth creates it.
    /// </summary>
    private void AssertKernelSupportMatchesIp(LinkSpec spec, string kind, string option)
    {
        using var ns = NetworkNamespace.Create(Manager, "kinds");
        ns.Links.Create(new VethSpec("v0", "v1"));
        string[] ipArgs = kind switch
        {
            "vlan" => ["ip", "link", "add", "probe0", "link", "v0", "type", "vlan", "id", "10"],
            "ipvlan" => ["ip", "link", "add", "probe0", "link", "v0", "type", "ipvlan"],
            _ => ["ip", "link", "add", "probe0", "type", kind],
        };
        bool kernelHasIt = InNetns.Run(ns.Handle.Path, ipArgs).Succeeded;
        if (kernelHasIt)
        {
            ns.Links.Delete("probe0");
            ns.Links.Create(spec);
            Assert.Equal(kind, ns.Links.Get(spec.Name).Kind);
        }
        else
        {
            var e = Assert.Throws<KernelException>(() => ns.Links.Create(spec));
            Assert.Equal(ErrorKind.NotSupported, e.Kind);
            Assert.Contains($"this kernel does not support {kind} links (it was built without {option})", e.Message, StringComparison.Ordinal);
            Assert.Null(ns.Links.TryGet(spec.Name));
        }

        Close(ns);
    }

    private void Close(NetworkNamespace ns)
    {
        ns.Dispose();
        Manager.Delete(ns.Name!);
    }
}
