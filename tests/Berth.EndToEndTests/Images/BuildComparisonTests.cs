using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Images;

/// <summary>
/// Issue 19's yardstick: the same Dockerfile and context built by Docker 20.10's classic builder (Debian's dockerd in the
/// lab, <c>DOCKER_BUILDKIT=0</c>) and by berthd, on the same busybox base, in the same run, through the same docker CLI;
/// the build output, <c>docker image inspect</c> field by field, the history (<c>docker save</c>'s config: created_by,
/// empty layers, authors) and the files the images hold (names, modes, owners, contents) must be the same, and so must
/// the text of failing builds. What must differ is named, with why, in <see cref="IgnoredInspectFields"/> and the
/// normalisers; every difference found is reported together.
/// </summary>
public sealed partial class BuildComparisonTests : DaemonTest
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ContainersGone = TimeSpan.FromSeconds(10);

    [RootFact]
    public void BerthBuildsWhatDockers2010ClassicBuilderBuilds()
    {
        BuildLab();
        using var dockerd = new LabDockerd(DockerHost, Path.Combine(TestRoot, "docker"));
        dockerd.Start();
        var berthd = StartDaemon();
        var docker = new Side("docker", "unix://" + dockerd.Socket);
        var berth = new Side("berth", berthd.Host);
        Side[] both = [docker, berth];
        string busybox = BusyboxImage.BuildTar(TestRoot);
        foreach (var side in both)
        {
            side.Checked("import", "-c", "CMD [\"sh\"]", busybox, "bb:latest");
        }

        var differences = new List<string>();
        try
        {
            // Every instruction, --build-arg, --label and --target: the final image, then the named first stage.
            string main = MainContext();
            var built = both.Select(s => s.Checked(["build", "-t", "app:final", "--target", "final", .. BuildFlags, main])).ToArray();
            // Docker's classic builder also runs the stage the target does not need; Berth skips it (the steps that run keep their numbers).
            Same(differences, "build output of app:final", BuildOutput(built[0], skippedStage: "unused"), BuildOutput(built[1]));
            CompareImages(differences, docker, berth, "app:final", trees: true);

            built = both.Select(s => s.Checked(["build", "-t", "app:builder", "--target", "builder", .. BuildFlags, main])).ToArray();
            Same(differences, "build output of app:builder", BuildOutput(built[0]), BuildOutput(built[1]));
            CompareImages(differences, docker, berth, "app:builder", trees: false);

            // A build FROM the final image runs its ONBUILD triggers first, then drops them.
            string child = ChildContext();
            built = both.Select(s => s.Checked("build", "-t", "app:child", child)).ToArray();
            Same(differences, "build output of app:child", BuildOutput(built[0]), BuildOutput(built[1]));
            CompareImages(differences, docker, berth, "app:child", trees: true);

            CompareFailures(differences, docker, berth);
        }
        finally
        {
            foreach (var side in both)
            {
                // `docker run --rm` returns once the container exited; its removal may take a moment longer.
                Poll.Until(() => side.Docker("ps", "-aq").Output.Trim().Length == 0, ContainersGone);
                string left = side.Docker("ps", "-aq").Output.Trim();
                if (left.Length > 0)
                {
                    differences.Add($"{side.Name} kept containers: {left}");
                    side.Docker(["rm", "-f", .. left.Split('\n')]);
                }
            }
        }

        Assert.True(differences.Count == 0, $"{differences.Count} difference(s) between Docker 20.10 and Berth:\n\n" + string.Join("\n\n", differences));
    }

    private void CompareImages(List<string> differences, Side docker, Side berth, string image, bool trees)
    {
        var inspected = Inspect(docker, image);
        var berthInspected = Inspect(berth, image);
        foreach (string field in inspected.Keys.Union(berthInspected.Keys).Order(StringComparer.Ordinal))
        {
            Same(differences, $"{image} inspect {field}", inspected.GetValueOrDefault(field, "(absent)"), berthInspected.GetValueOrDefault(field, "(absent)"));
        }

        Same(differences, $"{image} history (docker save's config)", SavedHistory(docker, image), SavedHistory(berth, image));
        Same(differences, $"{image} docker history", History(docker, image), History(berth, image));
        if (trees)
        {
            Same(differences, $"{image} files", Tree(docker, image), Tree(berth, image));
        }
    }

    private static void Same(List<string> differences, string what, string docker, string berth)
    {
        if (docker != berth)
        {
            differences.Add($"{what}:\n--- Docker 20.10 ---\n{docker}\n--- Berth ---\n{berth}");
        }
    }

    /// <summary>A daemon the docker CLI talks to, with the legacy builder (CLI 28 defaults to BuildKit when buildx is there).</summary>
    private sealed record Side(string Name, string Host)
    {
        public CmdResult Docker(params string[] args) =>
            Exec.RunWithTimeout(BuildTimeout, new Dictionary<string, string> { ["DOCKER_HOST"] = Host, ["DOCKER_BUILDKIT"] = "0" }, RepoPaths.DockerCli, args);

        public CmdResult Checked(params string[] args)
        {
            var result = Docker(args);
            Assert.True(result.Succeeded, $"{Name}: {result}");
            return result;
        }
    }
}
