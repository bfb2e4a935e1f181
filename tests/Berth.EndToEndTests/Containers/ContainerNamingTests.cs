using System.Text.RegularExpressions;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>Names berthd gives containers created without <c>--name</c>, through the real docker CLI.</summary>
public sealed partial class ContainerNamingTests : DaemonTest
{
    /// <summary><c>./test.sh long</c> (BERTH_TEST_LONG=1): 1,500 containers, past ten times the old generator's 144 pairs.</summary>
    private static readonly int Unnamed = Environment.GetEnvironmentVariable("BERTH_TEST_LONG") == "1" ? 1500 : 300;

    private static readonly TimeSpan CreateDeadline = TimeSpan.FromSeconds(15);

    [RootFact]
    public void ThreeHundredUnnamedContainersGetDistinctValidNames()
    {
        // Before: the 145th hung berthd for good (144 pairs, a loop that never ended, under the engine's gate).
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        var ids = new List<string>(Unnamed);
        for (int i = 0; i < Unnamed; i++)
        {
            var create = Exec.RunWithTimeout(CreateDeadline, new Dictionary<string, string> { ["DOCKER_HOST"] = daemon.Host }, RepoPaths.DockerCli, "create", "bb:latest", "true");
            Assert.True(create.Succeeded, $"docker create #{i + 1} failed or hung: {create}\n--- berthd log ---\n{daemon.Log}");
            ids.Add(create.Output.Trim());
        }

        var names = daemon.DockerChecked("ps", "-a", "--format", "{{.Names}}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Unnamed, names.Length);
        Assert.Equal(Unnamed, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, name => Assert.Matches(ValidName(), name));

        foreach (var chunk in ids.Chunk(50))
        {
            daemon.DockerChecked(["rm", .. chunk]);
        }

        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex ValidName();
}
