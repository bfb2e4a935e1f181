using Berth.Core.Errors;
using Berth.Diagnostics.Doctor;
using Berth.Linux.Namespaces;
using Berth.Network.Drivers;

namespace Berth.Diagnostics.Tests.Doctor;

public sealed class DoctorTests : IDisposable
{
    private readonly NetworkNamespace host = NetworkNamespace.Host();

    public void Dispose() => host.Dispose();

    private DiagnosticSources Sources() => new()
    {
        Networks = new StubNetworks(),
        Containers = new StubContainers(),
        Host = host,
        Drivers = new NetworkDriverRegistry([new FixedNetworkDriver(Core.Networks.NetworkDrivers.Host)]),
    };

    [Fact]
    public async Task Findings_come_in_the_checks_order_and_a_failing_check_is_a_problem_of_its_own()
    {
        var doctor = new Diagnostics.Doctor.Doctor(Sources(),
        [
            new FixedCheck("first", DoctorFinding.Ok("first a", "host", "fine")),
            new ThrowingCheck(),
            new FixedCheck("third", DoctorFinding.Warning("third a", "host", "hmm", "do this"), DoctorFinding.Ok("third b", "host", "fine")),
        ]);

        var findings = await doctor.RunAsync(null, null, CancellationToken.None);

        Assert.Equal(["first a", "broken", "third a", "third b"], findings.Select(f => f.Check));
        var broken = findings[1];
        Assert.Equal(DoctorStatus.Problem, broken.Status);
        Assert.Contains("the broken checks failed: the probe socket went away", broken.Found, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_network_that_is_not_there_is_not_found_and_both_scopes_at_once_are_refused()
    {
        var doctor = new Diagnostics.Doctor.Doctor(Sources(), []);

        var missing = await Assert.ThrowsAsync<BerthException>(() => doctor.RunAsync("nope", null, CancellationToken.None));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
        var both = await Assert.ThrowsAsync<BerthException>(() => doctor.RunAsync("a", "b", CancellationToken.None));
        Assert.Equal(ErrorKind.InvalidArgument, both.Kind);
    }

    [Fact]
    public async Task The_forwarding_check_reads_the_hosts_sysctl()
    {
        var findings = await new Diagnostics.Doctor.Doctor(Sources(), [new Diagnostics.Doctor.Checks.HostForwardingCheck()]).RunAsync(null, null, CancellationToken.None);

        var finding = Assert.Single(findings);
        bool on = File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim() == "1";
        Assert.Equal(on ? DoctorStatus.Ok : DoctorStatus.Warning, finding.Status);
        Assert.Contains(on ? "ip_forward = 1" : "ip_forward = 0", finding.Found, StringComparison.Ordinal);
    }

    private sealed class FixedCheck(string area, params DoctorFinding[] findings) : IDoctorCheck
    {
        public string Area => area;

        public Task<IReadOnlyList<DoctorFinding>> RunAsync(DiagnosticSources sources, DoctorScope scope, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DoctorFinding>>(findings);
    }

    private sealed class ThrowingCheck : IDoctorCheck
    {
        public string Area => "broken";

        public Task<IReadOnlyList<DoctorFinding>> RunAsync(DiagnosticSources sources, DoctorScope scope, CancellationToken cancellationToken) =>
            throw new IOException("the probe socket went away");
    }
}
