using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Runtime.Containers;

namespace Berth.Runtime.IntegrationTests.Containers;

/// <summary>Berth's default seccomp filter, seen from inside real containers.</summary>
public sealed class SeccompTests : RuntimeTest
{
    // A user namespace needs no capability, so only the filter can stop it; `ip netns` style unshare -n
    // needs CAP_SYS_ADMIN and is refused either way.
    private const string Probe = "grep '^Seccomp:' /proc/self/status; unshare -U true && echo userns-allowed || echo userns-denied; sleep 0.1 & wait && echo clone-ok";

    [RootFact]
    public async Task TheDefaultFilterDeniesNamespaceCreationButNotOrdinaryWork()
    {
        var (code, log) = await RunAsync(Spec("filtered", "sh", "-c", Probe));

        string output = string.Join('\n', log.Select(e => e.Text));
        Assert.True(code == 0, output);
        Assert.Contains("Seccomp:\t2", output, StringComparison.Ordinal);
        Assert.Contains("userns-denied", output, StringComparison.Ordinal);
        Assert.Contains("clone-ok", output, StringComparison.Ordinal);
        Assert.Contains(log, e => e.Stream == LogStream.Stderr && e.Text.Contains("Operation not permitted", StringComparison.Ordinal));
    }

    [RootFact]
    public async Task UnconfinedContainersHaveNoFilter()
    {
        var (code, log) = await RunAsync(Spec("unconfined", "sh", "-c", Probe) with { Seccomp = false });

        string output = string.Join('\n', log.Select(e => e.Text));
        Assert.True(code == 0, output);
        Assert.Contains("Seccomp:\t0", output, StringComparison.Ordinal);
        Assert.Contains("userns-allowed", output, StringComparison.Ordinal);
    }
}
