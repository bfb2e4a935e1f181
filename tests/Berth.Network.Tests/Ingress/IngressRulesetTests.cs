using System.Net;
using System.Net.NetworkInformation;
using Berth.Core.Errors;
using Berth.Network.Ingress;

namespace Berth.Network.Tests.Ingress;

public sealed class IngressRulesetTests
{
    private static readonly IngressEntry H1 = new(IPAddress.Parse("10.0.0.11"), PhysicalAddress.Parse("02-42-0A-00-00-0B"));
    private static readonly IngressEntry H2 = new(IPAddress.Parse("10.0.0.12"), PhysicalAddress.Parse("02-42-0A-00-00-0C"));

    [Fact]
    public void AnEntrysMarkAndTableAreItsAddressWithoutTheTopBit()
    {
        Assert.Equal(0x0A00000Bu, H1.Mark);
        Assert.Equal(0x0A00000B, H1.Table);
        var high = new IngressEntry(IPAddress.Parse("192.168.1.2"), PhysicalAddress.Parse("02-42-C0-A8-01-02"));
        Assert.Equal(0x40A80102u, high.Mark);
        Assert.True(high.Table > 0);
        Assert.Equal("02:42:0a:00:00:0b", H1.NftMac);
        Assert.Equal(H1, new IngressEntry(IPAddress.Parse("10.0.0.11"), PhysicalAddress.Parse("02-42-0A-00-00-0B")));
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => new IngressEntry(IPAddress.Parse("fd00::1"), H1.Mac)).Kind);
    }

    [Fact]
    public void TheHostTableDnatsEachPublishedPortToItsBackendsWithoutSnat()
    {
        string text = IngressRuleset.Host(
        [
            new IngressPublication("tcp", 8080, 80, [IPAddress.Parse("10.0.0.6"), IPAddress.Parse("10.0.0.5")]),
            new IngressPublication("udp", 5353, 53, [IPAddress.Parse("10.0.0.7")]),
            new IngressPublication("tcp", 9090, 90, []),
        ]);

        Assert.StartsWith("add table ip berth-ingress\ndelete table ip berth-ingress\nadd table ip berth-ingress\n", text, StringComparison.Ordinal);
        Assert.Contains("add chain ip berth-ingress pre { type nat hook prerouting priority dstnat; policy accept; }", text, StringComparison.Ordinal);
        Assert.Contains("add rule ip berth-ingress pre fib daddr type local jump ports", text, StringComparison.Ordinal);
        Assert.Contains("add rule ip berth-ingress out fib daddr type local jump ports", text, StringComparison.Ordinal);
        Assert.Contains("add rule ip berth-ingress pub-tcp-8080-0 meta l4proto tcp dnat ip to 10.0.0.5:80", text, StringComparison.Ordinal);
        Assert.Contains("add rule ip berth-ingress pub-tcp-8080-1 meta l4proto tcp dnat ip to 10.0.0.6:80", text, StringComparison.Ordinal);
        Assert.Contains("add rule ip berth-ingress pub-tcp-8080 numgen random mod 2 vmap { 0 : goto pub-tcp-8080-0, 1 : goto pub-tcp-8080-1 }", text, StringComparison.Ordinal);
        Assert.Contains("add rule ip berth-ingress ports tcp dport 8080 goto pub-tcp-8080", text, StringComparison.Ordinal);
        Assert.Contains("add rule ip berth-ingress ports udp dport 5353 goto pub-udp-5353", text, StringComparison.Ordinal);
        Assert.DoesNotContain("9090", text, StringComparison.Ordinal);
        Assert.DoesNotContain("masquerade", text, StringComparison.Ordinal);
        Assert.DoesNotContain("snat", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTaskTableMarksConnectionsByTheEntryTheyCameThrough()
    {
        string text = IngressRuleset.Task("eth1", [H2, H1, H1]);

        Assert.Contains("add element ip berth-ingress-rp entries { 02:42:0a:00:00:0b : 0x0a00000b, 02:42:0a:00:00:0c : 0x0a00000c }", text, StringComparison.Ordinal);
        Assert.Contains("add rule ip berth-ingress-rp pre iifname \"eth1\" ct state new ct mark set ether saddr map @entries", text, StringComparison.Ordinal);
        Assert.Contains("add chain ip berth-ingress-rp out { type route hook output priority mangle; policy accept; }", text, StringComparison.Ordinal);
        Assert.Contains("add rule ip berth-ingress-rp out ct mark != 0 meta mark set ct mark", text, StringComparison.Ordinal);
        Assert.DoesNotContain("add element", IngressRuleset.Task("eth1", []), StringComparison.Ordinal);
        Assert.Throws<BerthException>(() => IngressRuleset.Task("eth1 x", [H1]));
    }

    [Fact]
    public void APublicationIsValidatedAndComparedByValue()
    {
        Assert.Equal(
            new IngressPublication("tcp", 8080, 80, [IPAddress.Parse("10.0.0.6"), IPAddress.Parse("10.0.0.5")]),
            new IngressPublication("tcp", 8080, 80, [IPAddress.Parse("10.0.0.5"), IPAddress.Parse("10.0.0.6")]));
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => new IngressPublication("sctp", 8080, 80, [])).Kind);
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => new IngressPublication("tcp", 0, 80, [])).Kind);
    }
}
