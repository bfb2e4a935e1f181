using System.Text.Json;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Doctor;

/// <summary>
/// <c>berth doctor</c>'s DNS checks in the lab: healthy first (resolv.conf, names asked from inside each container,
/// the upstream), then each broken by hand: a container that rewrote its resolv.conf, a container whose namespace
/// drops DNS, containers on the default bridge, an upstream that went away.
/// </summary>
public sealed class DoctorDnsTests : DaemonTest
{
    [RootFact]
    public void EachDnsFaultIsFoundFromInsideTheContainersWithItsFix()
    {
        var daemon = StartDaemon("--dns", "127.0.0.1");
        var upstream = new TestDnsUpstream(DockerHost);
        bool upstreamStopped = false;
        try
        {
            BusyboxImage.Import(daemon, TestRoot);
            daemon.DockerChecked("network", "create", "--subnet", "10.92.0.0/24", "appnet");
            daemon.DockerChecked("run", "-d", "--name", "web", "--network", "appnet", "bb:latest", "sleep", "300");
            daemon.DockerChecked("run", "-d", "--name", "db", "--network", "appnet", "bb:latest", "sleep", "300");
            daemon.DockerChecked("run", "-d", "--name", "old1", "bb:latest", "sleep", "300");
            daemon.DockerChecked("run", "-d", "--name", "old2", "bb:latest", "sleep", "300");

            var healthy = Findings(daemon.BerthCli("doctor", "--format", "json"));
            Assert.Equal("ok", Status(healthy, "dns resolv.conf", "web"));
            Assert.Equal("ok", Status(healthy, "dns resolv.conf", "db"));
            var names = Only(healthy, "dns names", "appnet");
            Assert.Equal("ok", names.Status);
            Assert.Contains("2 names asked from inside 2 containers resolved to the right addresses", names.Found, StringComparison.Ordinal);
            var upstreamOk = Only(healthy, "dns upstream", "127.0.0.1:53");
            Assert.Equal("ok", upstreamOk.Status);
            Assert.True(upstream.Queries > 0, "the upstream check asked nothing");

            // The default bridge has no resolver: said, with a fix that works.
            var bridge = Only(healthy, "dns names", "bridge");
            Assert.Equal("warning", bridge.Status);
            Assert.Contains("old1, old2 share bridge, which has no embedded DNS", bridge.Found, StringComparison.Ordinal);
            Assert.Equal("berth network create bridge-dns && berth network connect bridge-dns old1 && berth network connect bridge-dns old2", bridge.Fix);
            Assert.NotEqual(0, daemon.Docker("exec", "old1", "ping", "-c1", "-W1", "old2").ExitCode);
            foreach (string step in bridge.Fix!.Split(" && "))
            {
                var ran = daemon.BerthCli([.. step.Split(' ').Skip(1)]);
                Assert.True(ran.Succeeded, step + ": " + ran);
            }

            var byName = daemon.Docker("exec", "old1", "ping", "-c1", "-W2", "old2");
            Assert.True(byName.ExitCode == 0, byName + "\n" + daemon.Docker("exec", "old1", "cat", "/etc/resolv.conf") + daemon.Docker("exec", "old1", "nslookup", "old2", "127.0.0.11") + daemon.Docker("exec", "old1", "ip", "addr"));
            Assert.Equal("ok", Only(Findings(daemon.BerthCli("doctor", "--format", "json")), "dns names", "bridge-dns").Status);

            // web rewrites its resolv.conf; db's namespace drops DNS.
            daemon.DockerChecked("exec", "web", "sh", "-c", "echo nameserver 10.77.0.99 > /etc/resolv.conf");
            string dbPid = daemon.DockerChecked("inspect", "-f", "{{.State.Pid}}", "db").Output.Trim();
            Cmd.Check("nsenter", "--net=/proc/" + dbPid + "/ns/net", "nft", "add table ip broken; add chain ip broken out { type filter hook output priority 0; }; add rule ip broken out udp dport 53 drop");
            var cli = daemon.BerthCli("doctor", "--network", "appnet");
            Assert.Equal(1, cli.ExitCode);
            Assert.Matches(@"dns resolv\.conf\s+web\s+problem\s+/etc/resolv\.conf has nameserver 10\.77\.0\.99, not 127\.0\.0\.11", cli.Output);
            Assert.Matches(@"dns names\s+appnet\s+problem\s+db asked 127\.0\.0\.11 for web: a firewall rule in the namespace dropped the query \(EPERM\)", cli.Output);
            Assert.DoesNotContain("dns upstream", cli.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("web asked", cli.Output, StringComparison.Ordinal);

            // The upstream goes away: names outside Berth stop resolving, and doctor says so.
            upstream.Dispose();
            upstreamStopped = true;
            var gone = Only(Findings(daemon.BerthCli("doctor", "--format", "json")), "dns upstream", "127.0.0.1:53");
            Assert.Equal("problem", gone.Status);
            Assert.Contains("nothing listens on 127.0.0.1:53: containers cannot resolve names outside Berth", gone.Found, StringComparison.Ordinal);
        }
        finally
        {
            if (!upstreamStopped)
            {
                upstream.Dispose();
            }
        }
    }

    private static List<(string Check, string Subject, string Status, string Found, string? Fix)> Findings(CmdResult result)
    {
        using var report = JsonDocument.Parse(result.Output);
        return [.. report.RootElement.GetProperty("Findings").EnumerateArray().Select(f => (
            f.GetProperty("Check").GetString()!, f.GetProperty("Subject").GetString()!, f.GetProperty("Status").GetString()!,
            f.GetProperty("Found").GetString()!, f.GetProperty("Fix").GetString()))];
    }

    private static string Status(List<(string Check, string Subject, string Status, string Found, string? Fix)> findings, string check, string subject) =>
        Only(findings, check, subject).Status;

    private static (string Check, string Subject, string Status, string Found, string? Fix) Only(
        List<(string Check, string Subject, string Status, string Found, string? Fix)> findings, string check, string subject)
    {
        var matching = findings.Where(f => f.Check == check && f.Subject == subject).ToList();
        Assert.True(matching.Count == 1, $"{matching.Count} findings of {check} on {subject} in:\n" + string.Join("\n", findings));
        return matching[0];
    }
}
