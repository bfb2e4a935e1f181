using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// Nodes renew their own certificates before they expire (a manager signs its own, a worker asks a manager's
/// <c>/renew</c>) while etcd and a service go on. Time passes honestly: the certificates really last one hour (Docker's
/// minimum <c>--cert-expiry</c>), and berthd runs under libfaketime reading its offset from a file, which the test moves
/// forty minutes on — past every renewal point (50–80 % of a validity backdated by an hour: 0–36 minutes after issue).
/// etcd (a Go program, the vDSO's clock) keeps the machine's time, so it checks the new certificates on real time.
/// </summary>
public sealed class SwarmCertificateRenewalTests(ITestOutputHelper output) : ClusterTest
{
    private const string Service = "ticker";
    private static readonly TimeSpan RenewalTimeout = TimeSpan.FromSeconds(30);

    [RootFact]
    public void AManagerAndAWorkerRenewTheirCertificatesWhileEtcdAndAServiceGoOn()
    {
        Directory.CreateDirectory(TestRoot);
        string offset = Path.Combine(TestRoot, "faketime");
        File.WriteAllText(offset, "+0\n");
        NodeEnvironment = _ => FakeClock.FromFile(offset);
        var clock = Stopwatch.StartNew();
        StartNodes(2);
        Node(1).DockerChecked("swarm", "init", "--advertise-addr", Address(1), "--cert-expiry", "1h");
        Node(2).DockerChecked("swarm", "join", "--token", Node(1).DockerChecked("swarm", "join-token", "-q", "worker").Output.Trim(), $"{Address(1)}:2377");
        BusyboxImage.Import(Node(2), TestRoot);

        // --cert-expiry under Docker's minimum is refused in its words; 2 h is what the renewed certificates get.
        var tooShort = Node(1).Docker("swarm", "update", "--cert-expiry", "30m");
        Assert.False(tooShort.Succeeded, tooShort.ToString());
        Assert.Contains("minimum certificate expiry time is: 1h0m0s", tooShort.Error, StringComparison.Ordinal);
        Node(1).DockerChecked("swarm", "update", "--cert-expiry", "2h");

        Node(1).DockerChecked("service", "create", "--detach", "--name", Service, "--constraint", "node.role==worker", "--stop-grace-period", "1s",
            "--no-resolve-image", "bb:latest", "sh", "-c", "while true; do echo tick; sleep 1; done");
        string task = "";
        Assert.True(Poll.Until(() => (task = RunningTasks()).Length > 0, TimeSpan.FromSeconds(20)), Node(1).Docker("service", "ps", Service).ToString());
        string[] ids = [NodeId(1), NodeId(2)];
        string root = Node(1).DockerChecked("swarm", "ca").Output.Trim();
        string[] issuers = [.. ids.Select(id => TlsInfo(id, "CertIssuerSubject"))];
        string[] etcd = EtcdPids(1);
        using X509Certificate2 manager = Certificate(1)!, worker = Certificate(2)!;
        Assert.Equal(TimeSpan.FromHours(2), manager.NotAfter - manager.NotBefore); // 1 h, backdated by 1 h
        output.WriteLine($"swarm of a manager and a worker with 1 h certificates and a service in {clock.Elapsed.TotalSeconds:0.0} s");

        // Forty minutes on, for berthd only: each node renews its own certificate at its next look (10 s at most).
        clock.Restart();
        File.WriteAllText(offset, "+40m\n");
        X509Certificate2? renewedManager = null, renewedWorker = null;
        Assert.True(Poll.Until(() => Renewed(1, manager, ref renewedManager) & Renewed(2, worker, ref renewedWorker), RenewalTimeout),
            $"not renewed within {RenewalTimeout.TotalSeconds:0} s{Logs()}");
        output.WriteLine($"both certificates renewed {clock.Elapsed.TotalSeconds:0.0} s after the clock moved");
        using (renewedManager)
        using (renewedWorker)
        {
            foreach (var (node, old, renewed) in (ReadOnlySpan<(int, X509Certificate2, X509Certificate2)>)[(1, manager, renewedManager!), (2, worker, renewedWorker!)])
            {
                // A new key and serial, later NotAfter, the cluster's --cert-expiry (2 h, backdated by 1 h), same subject (node id, role), same root.
                Assert.NotEqual(old.GetPublicKeyString(), renewed.GetPublicKeyString());
                Assert.True(renewed.NotAfter > old.NotAfter, $"node{node}: {renewed.NotAfter:o} is not after {old.NotAfter:o}");
                Assert.Equal(TimeSpan.FromHours(3), renewed.NotAfter - renewed.NotBefore);
                Assert.Equal(old.Subject, renewed.Subject);
                string swarm = Path.Combine(Node(node).Root, "swarm");
                Assert.Equal(root, File.ReadAllText(Path.Combine(swarm, "ca.crt")).Trim());
                Assert.True(Cmd.Run("openssl", "verify", "-CAfile", Path.Combine(swarm, "ca.crt"), Path.Combine(swarm, "node.crt")).Succeeded, $"node{node}'s new certificate does not verify");
            }

            // The etcd member serves the new certificate without a restart (etcd reads its files at each handshake).
            Assert.Equal(etcd, EtcdPids(1));
            Assert.True(Poll.Until(() => ServedSerial() == renewedManager!.SerialNumber, TimeSpan.FromSeconds(5)), $"etcd serves {ServedSerial()}, not {renewedManager!.SerialNumber}");
        }

        // The cluster goes on: both Ready, the same task running, writes through etcd, the worker's logs through the node
        // channel, and TLSInfo (node inspect, swarm ca) as before.
        Assert.True(Poll.Until(() => NodeList(Node(1)).Values.Count(line => line.Contains("|Ready|", StringComparison.Ordinal)) == 2, TimeSpan.FromSeconds(10)),
            string.Join("\n", NodeList(Node(1))));
        Assert.Equal(task, RunningTasks());
        Node(1).DockerChecked("service", "scale", "--detach", Service + "=2");
        Assert.True(Poll.Until(() => RunningTasks().Split('\n').Length == 2, TimeSpan.FromSeconds(15)), Node(1).Docker("service", "ps", Service).ToString());
        Assert.True(Poll.Until(() => Node(1).Docker("service", "logs", "--raw", Service).Output.Contains("tick", StringComparison.Ordinal), TimeSpan.FromSeconds(10)),
            Node(1).Docker("service", "logs", Service).ToString());
        Assert.Equal(root, Node(1).DockerChecked("swarm", "ca").Output.Trim());
        Assert.Equal(issuers, ids.Select(id => TlsInfo(id, "CertIssuerSubject")));
        Assert.All(ids, id => Assert.Equal(root, TlsInfo(id, "TrustRoot")));
    }

    /// <summary>Node <paramref name="node"/>'s certificate with its key, or null while a renewal is writing the pair.</summary>
    private X509Certificate2? Certificate(int node)
    {
        string swarm = Path.Combine(Node(node).Root, "swarm");
        try
        {
            return X509Certificate2.CreateFromPemFile(Path.Combine(swarm, "node.crt"), Path.Combine(swarm, "node.key"));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private bool Renewed(int node, X509Certificate2 old, ref X509Certificate2? renewed)
    {
        if (renewed is null && Certificate(node) is { } current)
        {
            if (current.SerialNumber != old.SerialNumber)
            {
                renewed = current;
            }
            else
            {
                current.Dispose();
            }
        }

        return renewed is not null;
    }

    private string RunningTasks() =>
        string.Join("\n", Node(1).DockerChecked("service", "ps", "-q", "--no-trunc", "--filter", "desired-state=running", Service).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(id => Node(1).Docker("inspect", "--type", "task", "-f", "{{.Status.State}}", id).Output.Trim() == "running").Order());

    private string TlsInfo(string node, string field) =>
        Node(1).DockerChecked("node", "inspect", "-f", "{{.Description.TLSInfo." + field + "}}", node).Output.Trim();

    /// <summary>The serial of the certificate node1's etcd member shows a new client now (openssl inside node1's namespace).</summary>
    private string ServedSerial()
    {
        string swarm = Path.Combine(Node(1).Root, "swarm");
        var served = NodeHost(1).Exec("sh", "-c",
            $"openssl s_client -connect {Address(1)}:2379 -cert {swarm}/node.crt -key {swarm}/node.key </dev/null 2>/dev/null | openssl x509 -noout -serial");
        return served.Output.Trim().Replace("serial=", "", StringComparison.Ordinal);
    }

    private string Logs() => string.Concat(Enumerable.Range(1, 2).Select(node => $"\n--- node{node} ---\n{Node(node).Log}"));
}
