using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using System.Text.Json;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// <c>docker network create -d overlay --opt encrypted</c> across lab nodes: containers on two nodes ping, talk TCP and
/// resolve each other, while a capture of the underlay finds no byte of what they said and no plain VXLAN of the network
/// (the same words cross an unencrypted overlay in the clear: the positive control). Forged VXLAN and replayed sealed
/// datagrams never reach a container, key rotations during a transfer lose nothing, and a berthd killed with -9 leaves
/// its node silent, never in the clear, until it is back.
/// </summary>
public sealed partial class EncryptedOverlayTests : ClusterTest
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    /// <summary>The sealed data path listens on the data path port + 1.</summary>
    private const int SealedPort = 4790;

    private const int VxlanPort = 4789;

    [RootFact]
    public void ContainersOnTwoNodesTalkOverAnEncryptedOverlayAndNothingCrossesTheUnderlayInTheClear()
    {
        StartPair();
        // 1500 underlay: 92 bytes for the sealed path (IPv4 20, UDP 8, header 24, tag 16, virtio header 10, Ethernet 14).
        Assert.Equal("1408", Node(2).DockerChecked("exec", "bravo", "cat", "/sys/class/net/eth0/mtu").Output.Trim());
        Assert.Equal("1450", Node(2).DockerChecked("exec", "bravo-plain", "cat", "/sys/class/net/eth0/mtu").Output.Trim());
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(2), "bravo", "alpha"), Within), "bravo cannot ping alpha by name over the encrypted overlay\n" + Node(2).Log + Node(1).Log);
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(2), "bravo-plain", "alpha-plain"), Within), "the unencrypted control does not work");
        Assert.True(ContainerProbe.TalksWithin(Node(2), "bravo", "alpha"), "no TCP from bravo to alpha");
        string alpha = Node(1).DockerChecked("inspect", "-f", "{{(index .NetworkSettings.Networks \"secure-ovl\").IPAddress}}", "alpha").Output.Trim();
        Assert.Contains(alpha, Node(2).DockerChecked("exec", "bravo", "nslookup", "alpha").Output, StringComparison.Ordinal);
        // A full-size packet (1380 + 28 = 1408) crosses whole, both ways.
        Assert.Equal(0, Node(2).Docker("exec", "bravo", "ping", "-c2", "-W2", "-s", "1380", "alpha").ExitCode);

        byte[] secret = Encoding.ASCII.GetBytes("SECRET-" + Guid.NewGuid().ToString("N"));
        byte[] plain = Encoding.ASCII.GetBytes("PLAIN-" + Guid.NewGuid().ToString("N"));
        using (var capture = new UnderlayCapture(NodeHost(1).NetnsPath))
        {
            // Small and large: a line, and 1 MB of the marker (TCP super-frames, sealed in chunks).
            Send(2, "bravo", "alpha", 9000, Encoding.ASCII.GetString(secret));
            Send(2, "bravo-plain", "alpha-plain", 9000, Encoding.ASCII.GetString(plain));
            Node(2).DockerChecked("exec", "bravo", "sh", "-c", $"yes {Encoding.ASCII.GetString(secret)} | head -c 1048576 | timeout 20 nc alpha 9001");
            Assert.True(Poll.Until(() => Received(1, "alpha", 9000).Contains(Encoding.ASCII.GetString(secret), StringComparison.Ordinal), Within), "alpha did not get the line");
            Assert.True(Poll.Until(() => Node(1).Docker("exec", "alpha", "wc", "-c", "/tmp/9001").Output.Trim().StartsWith("1048576", StringComparison.Ordinal), Within),
                "alpha did not get the megabyte: " + Node(1).Docker("exec", "alpha", "wc", "-c", "/tmp/9001"));
            Assert.True(Poll.Until(() => Received(1, "alpha-plain", 9000).Contains(Encoding.ASCII.GetString(plain), StringComparison.Ordinal), Within), "alpha-plain did not get the line");
            Thread.Sleep(500);

            Assert.True(capture.Contains(plain), "the positive control: an unencrypted overlay's payload is visible on the underlay");
            Assert.False(capture.Contains(secret), "the encrypted overlay's payload crossed the underlay in the clear");
            uint vni = SealedVni(capture);
            Assert.DoesNotContain(capture.UdpTo(VxlanPort), d => VniOf(d.Payload) == vni);
            Assert.NotEmpty(capture.UdpTo(VxlanPort));
            // Large writes crossed as super-frames sealed in chunks: sealed datagrams fill the underlay.
            Assert.Contains(capture.UdpTo(SealedPort), d => d.Payload.Length == 1500 - 28);
        }

        var counters = Counters(1, "secure-ovl");
        Assert.True(counters["frames_delivered"] > 0 && counters["frames_sent"] > 0, string.Join(", ", counters));
        Assert.Equal(0, counters["dropped_unauthentic"] + counters["dropped_replayed"]);
        Assert.DoesNotContain("Encryption", Node(1).DockerChecked("network", "inspect", "plain-ovl", "--verbose").Output, StringComparison.Ordinal);
    }

    /// <summary>Two nodes; on each, a container on an encrypted and one on a plain overlay (alpha* on node 1 listen on 9000 and 9001).</summary>
    private void StartPair(Func<int, string[]>? arguments = null)
    {
        StartNodes(2, arguments);
        var (workerToken, _) = InitSwarm();
        Node(2).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        foreach (var node in Nodes)
        {
            BusyboxImage.Import(node, TestRoot);
        }

        Node(1).DockerChecked("network", "create", "-d", "overlay", "--attachable", "--opt", "encrypted", "secure-ovl");
        Node(1).DockerChecked("network", "create", "-d", "overlay", "--attachable", "plain-ovl");
        // busybox nc ends when its stdin does: sleep holds the one-shot listener's open.
        string listen = "nc -ll -p 9000 -e sh -c 'cat >> /tmp/9000' & sleep 3600 | nc -l -p 9001 > /tmp/9001 & nc -ll -p 8080 -e echo pong & sleep 3600";
        Node(1).DockerChecked("run", "-d", "--network", "secure-ovl", "--name", "alpha", "bb:latest", "sh", "-c", listen);
        Node(1).DockerChecked("run", "-d", "--network", "plain-ovl", "--name", "alpha-plain", "bb:latest", "sh", "-c", listen);
        Node(2).DockerChecked("run", "-d", "--network", "secure-ovl", "--name", "bravo", "bb:latest", "sleep", "3600");
        Node(2).DockerChecked("run", "-d", "--network", "plain-ovl", "--name", "bravo-plain", "bb:latest", "sleep", "3600");
    }

    private void Send(int node, string from, string to, int port, string line) =>
        Assert.True(Poll.Until(() => Node(node).Docker("exec", from, "sh", "-c", $"echo {line} | timeout 5 nc {to} {port}").Succeeded, Within), $"{from} cannot send to {to}:{port}");

    private string Received(int node, string container, int port) => Node(node).Docker("exec", container, "cat", $"/tmp/{port}").Output;

    /// <summary>The sealed data path's counters of <paramref name="network"/> on <paramref name="node"/> (<c>network inspect --verbose</c>).</summary>
    private Dictionary<string, long> Counters(int node, string network)
    {
        using var document = JsonDocument.Parse(Node(node).DockerChecked("network", "inspect", "--verbose", network).Output);
        return document.RootElement[0].GetProperty("Encryption").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
    }

    /// <summary>The VNI the sealed datagrams captured carry (bytes 4–7 of the sealed header).</summary>
    private static uint SealedVni(UnderlayCapture capture)
    {
        var sealedDatagrams = capture.UdpTo(SealedPort);
        Assert.NotEmpty(sealedDatagrams);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(sealedDatagrams[0].Payload.AsSpan(4));
    }

    private static uint VniOf(byte[] vxlan) => vxlan.Length < 8 ? 0 : System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(vxlan.AsSpan(4)) >> 8;

    private PhysicalAddress MacOf(int node, string container, string network) => PhysicalAddress.Parse(
        Node(node).DockerChecked("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{network}\").MacAddress}}}}", container).Output.Trim().Replace(':', '-').ToUpperInvariant());

    /// <summary>The network namespace of a running container, through its first process.</summary>
    private string NetnsOf(int node, string container) => $"/proc/{Node(node).DockerChecked("inspect", "-f", "{{.State.Pid}}", container).Output.Trim()}/ns/net";

    private IPAddress AddressOf(int node, string container, string network) => IPAddress.Parse(
        Node(node).DockerChecked("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}", container).Output.Trim());
}
