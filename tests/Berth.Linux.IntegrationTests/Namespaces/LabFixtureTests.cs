using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.Linux.IntegrationTests.Namespaces;

public sealed class LabFixtureTests : LabTest
{
    [RootFact]
    public void TwoHostsOnALan_PingEachOther_AndTheRootNamespaceIsUntouched()
    {
        Lab lab = NewLab();
        LabHost a = lab.AddHost("a");
        LabHost b = lab.AddHost("b");
        LabLan lan = lab.AddLan("lan");

        lab.Connect(a, lan, "eth0", "10.88.0.1/24");
        lab.Connect(b, lan, "eth0", "10.88.0.2/24");

        Assert.True(a.PingWithin("10.88.0.2", TimeSpan.FromSeconds(5)), "a could not ping b over the lab LAN");
        Assert.True(b.Ping("10.88.0.1"), "b could not ping a over the lab LAN");
        Assert.False(a.Ping("10.88.0.99"), "a got a reply from an address nobody has");
    }

    [RootFact]
    public void Dispose_RemovesAllNamespacesOfTheLab()
    {
        var lab = new Lab();
        LabHost host = lab.AddHost("x");
        LabLan lan = lab.AddLan("y");
        lab.Connect(host, lan, "eth0", "10.89.0.1/24");

        lab.Dispose();

        HashSet<string> left = LeakGuard.ListNetns();
        Assert.DoesNotContain(host.NetnsName, left);
        Assert.DoesNotContain(lan.NetnsName, left);
    }

    [RootFact]
    public void LeakGuard_ReportsADeliberateLeak_ThenNothingAfterCleanup()
    {
        var guard = LeakGuard.Snapshot();
        string leaked = "berth-leak-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..3]);
        Cmd.Check("ip", "netns", "add", leaked);
        try
        {
            Assert.Contains(guard.FindLeaks(), l => l.Contains(leaked, StringComparison.Ordinal));
            Assert.ThrowsAny<Xunit.Sdk.XunitException>(guard.AssertNoLeaks);
        }
        finally
        {
            Cmd.Check("ip", "netns", "del", leaked);
        }

        Assert.Empty(guard.FindLeaks());
    }

    [RootFact]
    public void LeakGuard_ReportsANamespaceLeftInTheManagerDirectory()
    {
        var guard = LeakGuard.Snapshot();
        Manager.Create("forgotten").Dispose();

        Assert.Contains(guard.FindLeaks(), l => l.Contains(Manager.PathOf("forgotten"), StringComparison.Ordinal));

        Manager.Delete("forgotten");
        Assert.Empty(guard.FindLeaks());
    }
}
