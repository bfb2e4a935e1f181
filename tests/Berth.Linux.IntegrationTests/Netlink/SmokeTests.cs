using System.Net;
using Berth.Core.Addressing;
using Berth.Linux.Interop;
using Berth.Linux.IntegrationTests.Lab;
using Berth.Linux.Links;
using Berth.Linux.Netlink;
using Berth.Linux.Routes;
using Xunit.Abstractions;

namespace Berth.Linux.IntegrationTests.Netlink;

public sealed class SmokeTests(ITestOutputHelper output)
{
    [RootFact]
    public void Smoke()
    {
        RtnlClient? client = null;
        var thread = new Thread(() =>
        {
            if (Libc.Unshare(Libc.CLONE_NEWNET) != 0) throw new InvalidOperationException("unshare");
            client = RtnlClient.Open();
        });
        thread.Start();
        thread.Join();
        using var rtnl = client!;
        rtnl.Links.SetUp("lo");
        rtnl.Links.Create(new BridgeSpec("br0") { Up = true });
        rtnl.Links.Create(new VethSpec("vh0", "vc0") { Master = "br0", Up = true });
        rtnl.Addresses.Add("br0", IPPrefix.Parse("10.9.0.1/24"));
        rtnl.Routes.Add(new RouteSpec { Destination = IPNetwork.Parse("10.10.0.0/16"), Gateway = IPAddress.Parse("10.9.0.2") });
        foreach (var l in rtnl.Links.List()) output.WriteLine(l.ToString());
        foreach (var a in rtnl.Addresses.List()) output.WriteLine(a.ToString());
        foreach (var r in rtnl.Routes.List()) output.WriteLine(r.ToString());
        var e = Assert.ThrowsAny<KernelException>(() => rtnl.Links.Create(new BridgeSpec("br0")));
        output.WriteLine(e.Message);
        e = Assert.ThrowsAny<KernelException>(() => rtnl.Links.Create(new MacvlanSpec("mv0", "eth9")));
        output.WriteLine(e.Message);
        e = Assert.ThrowsAny<KernelException>(() => rtnl.Links.Create(new MacvlanSpec("mv0", "br0")));
        output.WriteLine(e.Message);
    }
}
