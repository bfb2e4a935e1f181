using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>Keys that rotate under a running connection, and a berthd killed with -9: silence, never cleartext, then back.</summary>
public sealed partial class EncryptedOverlayTests
{
    [RootFact]
    public void KeysRotateUnderARunningTcpTransferAndAKilledBerthdNeverLetsCleartextOut()
    {
        // A new key every 4 seconds (Docker: 12 hours), used after a second.
        StartPair(_ => ["--overlay-key-rotation", "4s"]);
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(2), "bravo", "alpha"), Within), "bravo cannot ping alpha\n" + Node(2).Log);
        uint first = RingGeneration();

        // One line a second for 16 seconds over one TCP connection: four rotations under it, every line arrives.
        Node(2).DockerChecked("exec", "bravo", "sh", "-c",
            "i=0; while [ $i -lt 16 ]; do echo line$i; i=$((i+1)); sleep 1; done | timeout 40 nc alpha 9001");
        Assert.True(Poll.Until(() => Received(1, "alpha", 9001).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 16, Within),
            "lines lost across key rotations: " + Received(1, "alpha", 9001));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => "line" + i.ToString(CultureInfo.InvariantCulture)), Received(1, "alpha", 9001).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(RingGeneration() >= first + 3, $"the ring went from generation {first} to {RingGeneration()} in 16 s");
        Assert.Equal(0, Counters(1, "secure-ovl")["dropped_unknown_key"]);

        // kill -9 of node 2's berthd: its seal0 goes with it, bravo's pings get nowhere, and nothing of them crosses in the clear.
        byte[] marker = Encoding.ASCII.GetBytes("KILLED-" + Guid.NewGuid().ToString("N")[..8]);
        // docker exec needs the daemon: with it dead, the test sends from inside bravo's namespace itself.
        string bravoNetns = NetnsOf(2, "bravo");
        var alpha = AddressOf(1, "alpha", "secure-ovl");
        Node(2).Kill();
        using (var capture = new UnderlayCapture(NodeHost(2).NetnsPath))
        {
            Assert.NotEqual(0, Cmd.Run("nsenter", $"--net={bravoNetns}", "busybox", "ping", "-c", "2", "-W", "1", alpha.ToString()).ExitCode);
            VxlanInjector.SendFrom(bravoNetns, null, new IPEndPoint(alpha, 7000), [marker]);
            Cmd.Run("nsenter", $"--net={bravoNetns}", "busybox", "ping", "-c", "3", "-W", "1", alpha.ToString());
            Thread.Sleep(500);
            Assert.False(capture.Contains(marker), "a frame of the encrypted overlay left node 2 in the clear with berthd dead");
            Assert.DoesNotContain(capture.UdpTo(VxlanPort), d => d.Payload.Length >= 8 + 14 + 20 && new IPAddress(d.Payload.AsSpan(8 + 14 + 16, 4)).Equals(alpha));
            Assert.DoesNotContain(capture.UdpTo(SealedPort), d => d.Source.Equals(IPAddress.Parse(Address(2))));
        }

        // Back: the restarted berthd opens seal0 again and traffic resumes.
        Restart(2);
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(2), "bravo", "alpha"), TimeSpan.FromSeconds(30)), "bravo does not reach alpha after berthd came back\n" + Node(2).Log);
    }

    /// <summary>The newest generation of the cluster's key ring, read from etcd on node 1.</summary>
    private uint RingGeneration()
    {
        string json = Etcdctl(1, 1, "get", "/berth/cluster/overlay-keys", "--print-value-only").Output;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("Keys").EnumerateArray().Max(k => k.GetProperty("Generation").GetUInt32());
    }
}
