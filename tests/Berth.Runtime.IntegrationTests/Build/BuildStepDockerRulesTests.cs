using System.Formats.Tar;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Runtime.Build;

namespace Berth.Runtime.IntegrationTests.Build;

/// <summary>
/// Step primitives that follow what Docker 20.10's classic builder does to the file system (checked against it by the
/// end-to-end BuildComparisonTests): WORKDIR makes its directory, a RUN writes into VOLUMEs for nothing, and a RUN that
/// changes nothing but the runtime's mount points makes an empty layer.
/// </summary>
public sealed class BuildStepDockerRulesTests : BuildTest
{
    [RootFact]
    public async Task WorkdirMakesItsDirectoryRootsAndOnlyOnce()
    {
        string made = await StepAsync(BusyboxId, snapshot => Workspace.MakeWorkingDirectoryAsync(snapshot, "/app/work"));
        Assert.Equal(["app", "app/work"], TopLayer(made).Select(e => e.Name));
        Assert.All(TopLayer(made), e => Assert.Equal((0, 0, (UnixFileMode)Convert.ToInt32("755", 8)), (e.Uid, e.Gid, e.Mode)));

        // There already: nothing changes, an empty layer.
        string again = await StepAsync(made, snapshot => Workspace.MakeWorkingDirectoryAsync(snapshot, "/app"));
        Assert.True(Store.Inspect(again).Config.History![^1].EmptyLayer);
    }

    [RootFact]
    public async Task ARunWritesIntoVolumesForNothingAndLeavesTheirMountPoints()
    {
        string withData = await StepAsync(BusyboxId, snapshot => RunAsync(snapshot, "mkdir /kept && echo image > /kept/file"));

        // VOLUME /kept /new: the step sees the image's /kept and a fresh /new; what it writes to either is gone after.
        string ran = await StepAsync(withData, snapshot => RunAsync(snapshot, "cat /kept/file && test -d /new && echo lost > /kept/file && echo lost > /new/x && echo kept > /outside", ["/kept", "/new"]));
        Assert.Equal(["new", "outside"], TopLayer(ran).Select(e => e.Name));
        var (code, seen) = await RunImageAsync(ran, "sh", "-c", "cat /kept/file; ls -A /new; cat /outside");
        Assert.Equal((0, "image\nkept"), (code, seen));
    }

    [RootFact]
    public async Task ARunThatChangesNothingIsAnEmptyLayer()
    {
        // runc makes /etc/hosts, /etc/resolv.conf and /etc/hostname in the step's rootfs: the copied-up /etc is no change.
        string ran = await StepAsync(BusyboxId, snapshot => RunAsync(snapshot, "id"));
        Assert.True(Store.Inspect(ran).Config.History![^1].EmptyLayer);
    }

    private async Task RunAsync(BuildSnapshot snapshot, string script, string[]? volumes = null)
    {
        int code = await Workspace.RunStepAsync(snapshot, new BuildRunSpec { Args = ["sh", "-c", script], Volumes = [.. volumes ?? []] }, null);
        Assert.Equal(0, code);
    }

    private async Task<string> StepAsync(string image, Func<BuildSnapshot, Task> step)
    {
        using var snapshot = await Workspace.CreateSnapshotAsync(image);
        await step(snapshot);
        string id = await Workspace.CommitStepAsync(snapshot, new BuildCommitSpec { CreatedBy = "step" });
        AssertNothingLeft(snapshot);
        return id;
    }

    /// <summary>The entries of the image's top layer (its last history step made one).</summary>
    private List<(string Name, int Uid, int Gid, UnixFileMode Mode)> TopLayer(string image)
    {
        var config = Store.Inspect(image).Config;
        Assert.False(config.History![^1].EmptyLayer);
        using var stream = File.OpenRead(Store.LayerTarPath(config.RootFs!.DiffIds[^1]));
        using var reader = new TarReader(stream);
        var entries = new List<(string, int, int, UnixFileMode)>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries.Add((entry.Name.TrimEnd('/'), entry.Uid, entry.Gid, entry.Mode));
        }

        return [.. entries.OrderBy(e => e.Item1, StringComparer.Ordinal)];
    }
}
