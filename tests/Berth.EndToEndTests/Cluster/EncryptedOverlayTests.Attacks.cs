using System.Net;
using System.Text;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>What an attacker on the underlay can send: forged plain VXLAN, sealed datagrams replayed, altered or from a non-member.</summary>
public sealed partial class EncryptedOverlayTests
{
    [RootFact]
    public void ForgedVxlanAndReplayedOrAlteredSealedDatagramsNeverReachAContainer()
    {
        StartPair();
        var intruder = AddLanHost("intruder", "10.88.0.50");
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(2), "bravo", "alpha"), Within), "bravo cannot ping alpha\n" + Node(2).Log);
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(2), "bravo-plain", "alpha-plain"), Within), "the unencrypted control does not work");
        using var alphaPort = new UdpRecorder(NetnsOf(1, "alpha"), 7000);
        using var alphaPlainPort = new UdpRecorder(NetnsOf(1, "alpha-plain"), 7000);

        // Plain VXLAN from the intruder, to alpha's MAC and address: the unencrypted overlay's container gets it (the forged
        // frame is valid: the positive control); the encrypted network has no VXLAN device to take it.
        uint plainVni, secureVni;
        using (var capture = new UnderlayCapture(NodeHost(1).NetnsPath))
        {
            Send(2, "bravo", "alpha", 9000, "hello");
            Send(2, "bravo-plain", "alpha-plain", 9000, "hello");
            Assert.True(Poll.Until(() => capture.UdpTo(SealedPort).Count > 0 && capture.UdpTo(VxlanPort).Count > 0, Within));
            secureVni = SealedVni(capture);
        }

        // The plain network's VNI, from its vxlan0 on node 1.
        string plainId = Node(1).DockerChecked("network", "inspect", "-f", "{{.Id}}", "plain-ovl").Output.Trim();
        using (var link = System.Text.Json.JsonDocument.Parse(Cmd.Check("nsenter", $"--net={Path.Combine(Node(1).ExecRoot, "netns", "ov-" + plainId[..12])}", "ip", "-d", "-j", "link", "show", "vxlan0")))
        {
            plainVni = link.RootElement[0].GetProperty("linkinfo").GetProperty("info_data").GetProperty("id").GetUInt32();
        }

        foreach (var (container, network, vni) in ((string, string, uint)[])[("alpha-plain", "plain-ovl", plainVni), ("alpha", "secure-ovl", secureVni)])
        {
            VxlanInjector.SendVxlan(intruder.NetnsPath, IPAddress.Parse(Address(1)), vni, MacOf(1, container, network),
                SubnetNeighbour(AddressOf(1, container, network)), AddressOf(1, container, network), 7000, Encoding.ASCII.GetBytes("FORGED-" + container + "\n"));
        }

        Assert.True(Poll.Until(() => alphaPlainPort.Received.Contains("FORGED-alpha-plain\n"), Within),
            $"the positive control: forged VXLAN (VNI {plainVni}) reaches a container of an unencrypted overlay: {Node(1).Docker("exec", "alpha-plain", "ps")}");
        Thread.Sleep(1000);
        Assert.Empty(alphaPort.Received);

        // A sealed datagram captured on its way, sent again from its node's own address: a replay. Altered: not authentic.
        // From the intruder's address: not a member. Garbage: malformed. None reaches alpha; each is counted.
        List<byte[]> sealedDatagrams;
        using (var capture = new UnderlayCapture(NodeHost(1).NetnsPath))
        {
            VxlanInjector.SendFrom(NetnsOf(2, "bravo"), null, new IPEndPoint(AddressOf(1, "alpha", "secure-ovl"), 7000), [Encoding.ASCII.GetBytes("ONCE")]);
            Assert.True(Poll.Until(() => alphaPort.Received.Contains("ONCE"), Within), "alpha did not get bravo's datagram");
            sealedDatagrams = [.. capture.UdpTo(SealedPort).Where(d => d.Source.Equals(IPAddress.Parse(Address(2)))).Select(d => d.Payload)];
        }

        var before = Counters(1, "secure-ovl");
        var sealedEndpoint = new IPEndPoint(IPAddress.Parse(Address(1)), SealedPort);
        VxlanInjector.SendFrom(NodeHost(2).NetnsPath, IPAddress.Parse(Address(2)), sealedEndpoint, sealedDatagrams);
        var altered = sealedDatagrams.Select(d => { var copy = (byte[])d.Clone(); copy[^20] ^= 0x40; copy[16 + 7] ^= 0x80; return copy; }).ToList();
        VxlanInjector.SendFrom(NodeHost(2).NetnsPath, IPAddress.Parse(Address(2)), sealedEndpoint, altered);
        VxlanInjector.SendFrom(intruder.NetnsPath, null, sealedEndpoint, sealedDatagrams);
        VxlanInjector.SendFrom(intruder.NetnsPath, null, sealedEndpoint, [Encoding.ASCII.GetBytes("not a sealed datagram")]);
        Assert.True(Poll.Until(() =>
        {
            var after = Counters(1, "secure-ovl");
            return after["dropped_replayed"] - before["dropped_replayed"] >= sealedDatagrams.Count
                && after["dropped_unauthentic"] - before["dropped_unauthentic"] >= altered.Count
                && after["dropped_non_member"] - before["dropped_non_member"] >= sealedDatagrams.Count;
        }, Within), string.Join(", ", Counters(1, "secure-ovl")));
        Assert.Equal(["ONCE"], alphaPort.Received);

        // Still working after all that.
        Assert.True(ContainerProbe.Pings(Node(2), "bravo", "alpha"), "the encrypted overlay stopped working after the attacks");
    }

    /// <summary>Another address in the container's /24 (a forged sender inside the overlay).</summary>
    private static IPAddress SubnetNeighbour(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        bytes[3] = (byte)(bytes[3] == 250 ? 251 : 250);
        return new IPAddress(bytes);
    }
}
