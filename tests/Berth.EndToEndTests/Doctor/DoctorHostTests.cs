using System.Text.Json;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Doctor;

/// <summary><c>berth doctor</c>'s host checks, each seen healthy and then broken by hand in the lab.</summary>
public sealed class DoctorHostTests : DaemonTest
{
    [RootFact]
    public void ForwardingTurnedOffByAnotherToolIsAProblemNamingTheNetworksAndTheFix()
    {
        // The resolver's upstream is the lab's own, so the DNS checks have nothing to report.
        var daemon = StartDaemon("--dns", "127.0.0.1");
        using var upstream = new TestDnsUpstream(DockerHost);
        daemon.DockerChecked("network", "create", "--subnet", "10.91.0.0/24", "frontnet");

        var healthy = daemon.BerthCli("doctor", "--format", "json");
        Assert.True(healthy.Succeeded, healthy + "\n" + daemon.Log);
        var ok = Finding(healthy.Output, "host ip forwarding");
        Assert.Equal("ok", ok.GetProperty("Status").GetString());

        // Another tool turns forwarding off in the docker host's namespace.
        DockerHost.Exec("sysctl", "-qw", "net.ipv4.ip_forward=0");
        var broken = daemon.BerthCli("doctor");
        Assert.Equal(1, broken.ExitCode);
        Assert.True(broken.Output.Contains("problem", StringComparison.Ordinal), broken.Output);
        Assert.Matches(@"host ip forwarding\s+host\s+problem\s+net\.ipv4\.ip_forward = 0: bridge, frontnet cannot reach beyond this host", broken.Output);
        Assert.Contains("sysctl -w net.ipv4.ip_forward=1", broken.Output, StringComparison.Ordinal);

        // The fix it names works: run it, and doctor says ok again.
        DockerHost.Exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
        var fixedAgain = daemon.BerthCli("doctor", "--format", "{{.Check}}={{.Status}}");
        Assert.Contains("host ip forwarding=ok", fixedAgain.Output, StringComparison.Ordinal);
        Assert.Equal(0, fixedAgain.ExitCode);
    }

    private static JsonElement Finding(string json, string check)
    {
        using var report = JsonDocument.Parse(json);
        return report.RootElement.GetProperty("Findings").EnumerateArray().First(f => f.GetProperty("Check").GetString() == check).Clone();
    }
}
