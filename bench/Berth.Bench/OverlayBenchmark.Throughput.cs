using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Berth.Bench;

/// <summary>
/// tcp_gbps, underlay_gbps: iperf3 (one TCP stream, <see cref="IperfSeconds"/> s after <see cref="IperfOmitSeconds"/> s left
/// out) from o3 on node3 to a2 on node2 over the overlay (both ends run in the containers' network namespaces, from the
/// host's filesystem: the containers hold only busybox), and from node3's own namespace to node2's over the lab LAN
/// (the underlay: the same two nodes, no VXLAN). Rounds alternate; the medians and their ratio are reported, with the
/// TCP retransmissions of each path over all rounds.
/// </summary>
internal sealed partial class OverlayBenchmark
{
    private const int IperfRounds = 3;
    private const int IperfSeconds = 3;
    private const int IperfOmitSeconds = 1;
    private const int IperfPort = 5201;
    private static readonly TimeSpan IperfServerExit = TimeSpan.FromSeconds(10);

    private void MeasureThroughput(OverlayScene scene, BenchResult result)
    {
        log.WriteLine($"overlay: iperf3 o3 (node3) -> a2 (node2) over the overlay and node3 -> node2 over the underlay, {IperfRounds} rounds each, alternating");
        var lab = scene.Lab;
        var overlay = (Client: lab[3].Cli.NetnsOf("o3"), Server: lab[2].Cli.NetnsOf("a2"), Address: ContainerAddress(lab[2].Cli, "a2"));
        var underlay = (Client: lab[3].NetnsPath, Server: lab[2].NetnsPath, Address: BenchSwarmLab.Address(2));
        var overlayGbps = new List<double>(IperfRounds);
        var underlayGbps = new List<double>(IperfRounds);
        long overlayRetransmits = 0, underlayRetransmits = 0;
        for (int round = 0; round < IperfRounds; round++)
        {
            var over = Iperf(overlay.Client, overlay.Server, overlay.Address);
            var under = Iperf(underlay.Client, underlay.Server, underlay.Address);
            overlayGbps.Add(over.Gbps);
            underlayGbps.Add(under.Gbps);
            overlayRetransmits += over.Retransmits;
            underlayRetransmits += under.Retransmits;
            log.WriteLine($"  round {round + 1}: overlay {over.Gbps:0.00} Gb/s ({over.Retransmits} retransmitted), underlay {under.Gbps:0.00} Gb/s ({under.Retransmits})");
        }

        double tcp = Stats.Median(overlayGbps);
        double underMedian = Stats.Median(underlayGbps);
        result.Add("tcp_gbps", Math.Round(tcp, 2));
        result.Add("underlay_gbps", Math.Round(underMedian, 2));
        result.Add("tcp_vs_underlay", Math.Round(tcp / underMedian, 3));
        result.Add("tcp_retransmits", overlayRetransmits);
        result.Add("underlay_retransmits", underlayRetransmits);
    }

    /// <summary>One iperf3 run: a one-off server in <paramref name="serverNetns"/>, the client in <paramref name="clientNetns"/>; Gb/s as the receiver counted and the sender's retransmissions.</summary>
    private static (double Gbps, long Retransmits) Iperf(string clientNetns, string serverNetns, string address)
    {
        string port = IperfPort.ToString(CultureInfo.InvariantCulture);
        using var server = Process.Start(new ProcessStartInfo("nsenter", [$"--net={serverNetns}", "iperf3", "--server", "--one-off", "--port", port])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("cannot start iperf3");
        try
        {
            // Its output is always read: an unread pipe would block it once full.
            server.OutputDataReceived += (_, _) => { };
            server.ErrorDataReceived += (_, _) => { };
            server.BeginOutputReadLine();
            server.BeginErrorReadLine();
            Poll.Until(
                () => server.HasExited || Exec.Capture("nsenter", null, $"--net={serverNetns}", "ss", "-Hltn", $"sport = :{port}").Output.Trim().Length > 0,
                Patience, "iperf3's server to listen");
            var run = Exec.Capture("nsenter", null,
                $"--net={clientNetns}", "iperf3", "--client", address, "--port", port, "--time", IperfSeconds.ToString(CultureInfo.InvariantCulture),
                "--omit", IperfOmitSeconds.ToString(CultureInfo.InvariantCulture), "--json");
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"iperf3 to {address} exited {run.ExitCode}: {run.Output[..Math.Min(run.Output.Length, 500)]}{run.Error}");
            }

            using var report = JsonDocument.Parse(run.Output);
            var end = report.RootElement.GetProperty("end");
            return (end.GetProperty("sum_received").GetProperty("bits_per_second").GetDouble() / 1e9, end.GetProperty("sum_sent").GetProperty("retransmits").GetInt64());
        }
        finally
        {
            if (!server.WaitForExit(IperfServerExit))
            {
                Exec.TryRun("kill", "-KILL", server.Id.ToString(CultureInfo.InvariantCulture));
                server.WaitForExit(IperfServerExit);
            }
        }
    }
}
