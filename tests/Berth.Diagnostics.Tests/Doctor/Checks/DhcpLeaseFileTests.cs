using System.Net;
using Berth.Diagnostics.Doctor.Dhcp;

namespace Berth.Diagnostics.Tests.Doctor.Checks;

public sealed class DhcpLeaseFileTests
{
    [Fact]
    public void Dnsmasq_leases_are_one_a_line()
    {
        var leases = DhcpLeaseFile.Parse("""
            1767225600 AA:BB:CC:00:00:01 10.77.0.100 laptop 01:aa:bb:cc:00:00:01
            1767225600 aa:bb:cc:00:00:02 10.77.0.101 * *
            duid 00:01:00:01
            """);

        Assert.Equal(["10.77.0.100 aa:bb:cc:00:00:01 laptop", "10.77.0.101 aa:bb:cc:00:00:02 "], leases.Select(l => $"{l.Address} {l.Mac} {l.Hostname}"));
    }

    [Fact]
    public void Isc_dhcpd_keeps_the_last_block_of_an_address_and_only_active_ones()
    {
        var leases = DhcpLeaseFile.Parse("""
            # The format of this file is documented in the dhcpd.leases(5) manual page.
            lease 10.77.0.150 {
              starts 4 2026/01/01 10:00:00;
              binding state active;
              hardware ethernet aa:bb:cc:00:00:03;
              client-hostname "phone";
            }
            lease 10.77.0.151 {
              binding state active;
              hardware ethernet aa:bb:cc:00:00:04;
            }
            lease 10.77.0.151 {
              binding state free;
              hardware ethernet aa:bb:cc:00:00:04;
            }
            """);

        var lease = Assert.Single(leases);
        Assert.Equal((IPAddress.Parse("10.77.0.150"), "aa:bb:cc:00:00:03", "phone"), (lease.Address, lease.Mac, lease.Hostname));
    }

    [Fact]
    public void A_container_address_leased_to_another_mac_or_inside_the_leased_span_is_found()
    {
        DhcpLease[] leases = [new(IPAddress.Parse("10.77.0.100"), "aa:bb:cc:00:00:01", null), new(IPAddress.Parse("10.77.0.150"), "aa:bb:cc:00:00:02", null), new(IPAddress.Parse("192.168.9.9"), "x", null)];

        Assert.NotNull(DhcpOverlap.LeasedToOther(IPAddress.Parse("10.77.0.100"), "02:42:0a:4d:00:64", leases));
        Assert.Null(DhcpOverlap.LeasedToOther(IPAddress.Parse("10.77.0.100"), "AA:BB:CC:00:00:01", leases));
        var span = DhcpOverlap.LeasedSpan(IPNetwork.Parse("10.77.0.0/24"), leases)!.Value;
        Assert.Equal(("10.77.0.100", "10.77.0.150"), (span.First.ToString(), span.Last.ToString()));
        Assert.True(DhcpOverlap.Within(span, IPAddress.Parse("10.77.0.120")));
        Assert.False(DhcpOverlap.Within(span, IPAddress.Parse("10.77.0.50")));
        Assert.Null(DhcpOverlap.LeasedSpan(IPNetwork.Parse("10.88.0.0/24"), leases));
    }
}
