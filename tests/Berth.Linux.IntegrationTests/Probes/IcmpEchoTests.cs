using System.Net;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;
using Berth.Linux.Probes;

namespace Berth.Linux.IntegrationTests.Probes;

/// <summary>
/// The doctor's ICMP probe between lab hosts: answered, too big for the sender's own MTU with DF, a router's
/// "fragmentation needed" with its next-hop MTU, and silence.
/// </summary>
public sealed class IcmpEchoTests : LabTest
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    [RootFact]
    public async Task EchoesAnswerOrSayWhyNot()
    {
        // a (eth0 1500) ── lan1 ── router ── lan2 (MTU 1400) ── b
        var lab = NewLab();
        var lan1 = lab.AddLan("l1");
        var lan2 = lab.AddLan("l2");
        var a = lab.AddHost("a");
        var router = lab.AddHost("r");
        var b = lab.AddHost("b");
        lab.Connect(a, lan1, "eth0", "10.61.1.10/24");
        lab.Connect(router, lan1, "eth0", "10.61.1.1/24");
        lab.Connect(router, lan2, "eth1", "10.61.2.1/24");
        lab.Connect(b, lan2, "eth0", "10.61.2.10/24");
        a.Ip("route", "add", "default", "via", "10.61.1.1");
        b.Ip("route", "add", "default", "via", "10.61.2.1");
        router.Exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
        router.Ip("link", "set", "eth1", "mtu", "1400");
        b.Ip("link", "set", "eth0", "mtu", "1400");
        using var runner = new NamespaceRunner("icmp-test");
        using var fromA = NetnsHandle.Open(a.NetnsPath);
        var target = IPAddress.Parse("10.61.2.10");

        var small = await IcmpEcho.SendAsync(runner, fromA, target, 100, dontFragment: true, Wait, CancellationToken.None);
        Assert.Equal(IcmpEchoOutcome.Reply, small.Outcome);
        Assert.NotNull(small.RoundTrip);

        // 1400 bytes pass the router's 1400-byte link; 1401 do not, and the router says how much does.
        Assert.True((await IcmpEcho.SendAsync(runner, fromA, target, 1400, dontFragment: true, Wait, CancellationToken.None)).Answered);
        var big = await IcmpEcho.SendAsync(runner, fromA, target, 1500, dontFragment: true, Wait, CancellationToken.None);
        Assert.Equal(IcmpEchoOutcome.FragmentationNeeded, big.Outcome);
        Assert.Equal(1400, big.NextHopMtu);

        // Without DF the router fragments and the echo is answered.
        Assert.True((await IcmpEcho.SendAsync(runner, fromA, target, 1500, dontFragment: false, Wait, CancellationToken.None)).Answered);

        // Larger than a's own interface: not sent at all.
        Assert.Equal(IcmpEchoOutcome.TooBigToSend, (await IcmpEcho.SendAsync(runner, fromA, target, 1600, dontFragment: true, Wait, CancellationToken.None)).Outcome);

        // b goes silent (its link down): no answer within the wait.
        b.Ip("link", "set", "eth0", "down");
        Assert.Equal(IcmpEchoOutcome.Timeout, (await IcmpEcho.SendAsync(runner, fromA, target, 100, dontFragment: true, TimeSpan.FromMilliseconds(500), CancellationToken.None)).Outcome);
    }
}
