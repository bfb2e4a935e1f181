using System.Globalization;
using System.Net;

namespace Berth.Bench;

/// <summary>
/// encrypted_*: the same iperf3 stream over an encrypted overlay (<c>--opt encrypted</c>, sealed in berthd) from e3 on
/// node3 to e2 on node2, alternating with the plain overlay (o3 → a2), in the same run; the CPU the two berthds spent per
/// Gbit carried (their utime + stime across the encrypted rounds over the Gbit moved); and the p99 of short HTTP requests
/// (a connection each; one at a time, and four) from o3/e3 to busybox httpd in a2/e2, plain against encrypted.
/// </summary>
internal sealed partial class OverlayBenchmark
{
    private const string EncryptedNetwork = "sov";
    private const string EncryptedSubnet = "10.91.0.0/24";
    private const string HttpPage = "ovbench";
    private const int HttpPort = 8000;
    private const int HttpConcurrency = 4;
    private const int HttpRounds = 3;
    private static readonly TimeSpan HttpRound = TimeSpan.FromSeconds(3);

    private void MeasureEncrypted(OverlayScene scene, BenchResult result)
    {
        var lab = scene.Lab;
        log.WriteLine($"overlay: network create -d overlay --opt encrypted {EncryptedNetwork}; e2 on node2, e3 on node3; iperf3 e3 -> e2 against o3 -> a2, {IperfRounds} rounds each");
        lab[1].Cli.Checked("network", "create", "-d", "overlay", "--attachable", "--opt", "encrypted", "--subnet", EncryptedSubnet, EncryptedNetwork);
        string serve = $"mkdir -p /www && echo {HttpPage} > /www/index.html && httpd -p {HttpPort} -h /www; sleep 3600";
        lab[2].Cli.Checked("run", "-d", "--network", EncryptedNetwork, "--name", "e2", BusyboxImage.Name, "sh", "-c", serve);
        lab[3].Cli.Checked("run", "-d", "--network", EncryptedNetwork, "--name", "e3", BusyboxImage.Name, "sleep", "3600");
        lab[2].Cli.Checked("exec", "a2", "sh", "-c", $"mkdir -p /www && echo {HttpPage} > /www/index.html && httpd -p {HttpPort} -h /www");
        var plain = (Client: lab[3].Cli.NetnsOf("o3"), Server: lab[2].Cli.NetnsOf("a2"), Address: ContainerAddress(lab[2].Cli, "a2"));
        var sealedPath = (Client: lab[3].Cli.NetnsOf("e3"), Server: lab[2].Cli.NetnsOf("e2"), Address: ContainerAddress(lab[2].Cli, "e2", EncryptedNetwork));
        Poll.Until(() => Exec.Capture("nsenter", null, $"--net={sealedPath.Client}", "ping", "-c1", "-W1", sealedPath.Address).ExitCode == 0, Patience, "e3 to reach e2");

        var plainGbps = new List<double>(IperfRounds);
        var sealedGbps = new List<double>(IperfRounds);
        double cpuSeconds = 0, gbits = 0;
        for (int round = 0; round < IperfRounds; round++)
        {
            var over = Iperf(plain.Client, plain.Server, plain.Address);
            double cpuBefore = CpuSeconds(lab[2].Pid) + CpuSeconds(lab[3].Pid);
            var sealedRun = Iperf(sealedPath.Client, sealedPath.Server, sealedPath.Address);
            cpuSeconds += CpuSeconds(lab[2].Pid) + CpuSeconds(lab[3].Pid) - cpuBefore;
            gbits += sealedRun.Gbps * (IperfSeconds + IperfOmitSeconds);
            plainGbps.Add(over.Gbps);
            sealedGbps.Add(sealedRun.Gbps);
            log.WriteLine($"  round {round + 1}: plain overlay {over.Gbps:0.00} Gb/s, encrypted {sealedRun.Gbps:0.00} Gb/s ({sealedRun.Retransmits} retransmitted)");
        }

        double encrypted = Stats.Median(sealedGbps);
        result.Add("encrypted_tcp_gbps", Math.Round(encrypted, 2));
        result.Add("encrypted_vs_plain_overlay", Math.Round(encrypted / Stats.Median(plainGbps), 3));
        result.Add("encrypted_cpu_seconds_per_gbit", Math.Round(cpuSeconds / gbits, 3));

        // One request at a time (the path's own latency), then four (the path under load of its own).
        foreach (int concurrency in (int[])[1, HttpConcurrency])
        {
            log.WriteLine($"overlay: short HTTP requests ({concurrency} at a time, {HttpRound.TotalSeconds:0} s) o3 -> a2 and e3 -> e2, alternating, {HttpRounds} rounds");
            var plainRounds = new List<HttpLoadRound>();
            var sealedRounds = new List<HttpLoadRound>();
            for (int round = 0; round < HttpRounds; round++)
            {
                plainRounds.Add(Http(plain.Client, plain.Address, concurrency));
                sealedRounds.Add(Http(sealedPath.Client, sealedPath.Address, concurrency));
                log.WriteLine($"  round {round + 1}: plain p50 {plainRounds[^1].P50Ms:0.00} ms p99 {plainRounds[^1].P99Ms:0.00} ms, encrypted p50 {sealedRounds[^1].P50Ms:0.00} ms p99 {sealedRounds[^1].P99Ms:0.00} ms");
            }

            string suffix = concurrency == 1 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"_c{concurrency}");
            double plainP99 = Stats.Median([.. plainRounds.Select(r => r.P99Ms)]);
            double sealedP99 = Stats.Median([.. sealedRounds.Select(r => r.P99Ms)]);
            result.Add("plain_http_p50_ms" + suffix, Math.Round(Stats.Median([.. plainRounds.Select(r => r.P50Ms)]), 2));
            result.Add("encrypted_http_p50_ms" + suffix, Math.Round(Stats.Median([.. sealedRounds.Select(r => r.P50Ms)]), 2));
            result.Add("plain_http_p99_ms" + suffix, Math.Round(plainP99, 2));
            result.Add("encrypted_http_p99_ms" + suffix, Math.Round(sealedP99, 2));
            result.Add("encrypted_p99_vs_plain" + suffix, Math.Round(sealedP99 / plainP99, 2));
        }
    }

    private static HttpLoadRound Http(string clientNetns, string address, int concurrency)
    {
        using var sockets = NetnsSockets.Open(clientNetns);
        var load = new HttpLoadGenerator(sockets, new IPEndPoint(IPAddress.Parse(address), HttpPort), HttpPage);
        Poll.Until(load.TryGet, Patience, $"the page of {address}");
        return load.Run(HttpRound, concurrency);
    }

    /// <summary>utime + stime of a process (/proc/PID/stat fields 14 and 15, in clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
