using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Guide;

/// <summary>
/// <c>./run.sh lab</c> (scripts/lab.sh): the guide's single-host examples against berthd in a lab of
/// namespaces, every step judged by traffic; then <c>./run.sh lab down</c> leaves nothing behind. Runs the
/// berthd and berth built with these tests, with the lab's state under this test's own directory. A lab a
/// user left up (other directory, same namespace names) makes the lab refuse, naming it.
/// </summary>
public sealed class RunShLabTests : LabTest
{
    private static readonly TimeSpan LabTimeout = TimeSpan.FromMinutes(5);

    private static readonly string[] Namespaces = ["berth-lab-host", "berth-lab-laptop", "berth-lab-router", "berth-lab-lan"];

    /// <summary>The steps that must pass, as the lab's summary names them.</summary>
    private static readonly string[] Steps =
    [
        "0 test image",
        "1 macvlan network",
        "2 printer on the LAN",
        "3 the host cannot reach its macvlan container",
        "4 method A, Berth's way: the host shim",
        "5 frontnet and backnet",
        "6 published port",
        "7 enable_icc=false",
        "8 diagnostics",
        "9 network connect and disconnect",
        "10 berth doctor and berth topology",
    ];

    [RootFact]
    public void TheLabRunsEveryStepOfTheGuideAndDownLeavesNothing()
    {
        string state = Path.Combine(TestRoot, "lab");
        var environment = new Dictionary<string, string>
        {
            ["BERTH_BIN_DIR"] = RepoPaths.BinDirectory,
            ["BERTH_LAB_DIR"] = state,
        };
        string runSh = Path.Combine(RepoPaths.Root, "run.sh");

        CmdResult? down = null;
        try
        {
            CmdResult up = Exec.RunWithTimeout(LabTimeout, environment, runSh, "lab");
            string report = up.ToString();
            string summary = up.Output[up.Output.LastIndexOf("== summary", StringComparison.Ordinal)..];
            foreach (string step in Steps)
            {
                Assert.True(summary.Contains($"  PASS     {step}\n", StringComparison.Ordinal), $"step \"{step}\" did not pass:\n{report}");
            }

            Assert.DoesNotContain("\n  FAIL  ", up.Output, StringComparison.Ordinal);
            Assert.True(up.Succeeded, report);

            // It stays up to play with: the printer still answers the laptop, the host reaches it through the shim.
            Assert.Equal("true", Exec.Run(new Dictionary<string, string> { ["DOCKER_HOST"] = "unix://" + Path.Combine(state, "berth.sock") },
                RepoPaths.DockerCli, "inspect", "-f", "{{.State.Running}}", "printer").Output.Trim());
            Assert.True(Cmd.Run("ip", "netns", "exec", "berth-lab-laptop", "ping", "-c1", "-W2", "192.168.1.50").Succeeded, "the laptop lost the printer");
            Assert.True(Cmd.Run("ip", "netns", "exec", "berth-lab-host", "ping", "-c1", "-W2", "192.168.1.50").Succeeded, "the host lost the printer");
        }
        finally
        {
            down = Exec.RunWithTimeout(LabTimeout, environment, runSh, "lab", "down");
        }

        Assert.True(down.Succeeded, down.ToString());

        AssertNothingLeft(state);

        // Down again, with no lab at all: harmless.
        CmdResult again = Exec.RunWithTimeout(LabTimeout, environment, runSh, "lab", "down");
        Assert.True(again.Succeeded, again.ToString());
        Assert.Contains("nothing of the lab is left", again.Output, StringComparison.Ordinal);
        AssertNothingLeft(state);
    }

    private static void AssertNothingLeft(string state)
    {
        string listed = Cmd.Check("ip", "netns", "list");
        foreach (string netns in Namespaces)
        {
            Assert.DoesNotContain(netns, listed, StringComparison.Ordinal);
            Assert.False(File.Exists("/run/netns/" + netns), $"/run/netns/{netns} is still there");
        }

        string mounts = File.ReadAllText("/proc/self/mountinfo");
        Assert.DoesNotContain(state, mounts, StringComparison.Ordinal);
        Assert.DoesNotContain("/run/netns/berth-lab-host ", mounts, StringComparison.Ordinal);
        Assert.False(Directory.Exists(state), state + " is still there");

        // Neither berthd nor a container monitor of the lab outlives it.
        Assert.Equal("", Cmd.Run("pgrep", "-a", "-f", state).Output.Trim());
    }
}
