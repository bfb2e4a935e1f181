using Berth.Core.Errors;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Runtime.Build;
using Berth.Runtime.Containers;

namespace Berth.Runtime.IntegrationTests.Build;

/// <summary>The step primitives for heredocs: inline files copied like context files, a RUN's script in a read-only mount.</summary>
public sealed class BuildHeredocStepTests : BuildTest
{
    [RootFact]
    public async Task InlineFilesAreCopiedAsFilesOfTheirNameWithModeOwnerAndChecksum()
    {
        string context = NewContext("inline");
        File.WriteAllText(Path.Combine(context, "from-context.txt"), "context\n");
        var single = new BuildCopySpec { Sources = [], Contents = [new BuildInlineFile("EOF", "a=1\n")], Destination = "/etc/app.conf" };
        var several = new BuildCopySpec
        {
            Sources = ["from-context.txt"],
            Contents = [new BuildInlineFile("ONE", "one\n"), new BuildInlineFile("TWO", "two\n")],
            Destination = "/dir/",
            Chown = "1000:1000",
            Chmod = "0750",
        };
        var intoExisting = new BuildCopySpec { Sources = [], Contents = [new BuildInlineFile("motd", "hello\n")], Destination = "/etc" };

        string image;
        BuildCopyResult first;
        using (var snapshot = await Workspace.CreateSnapshotAsync(BusyboxId))
        {
            first = await Workspace.CopyIntoSnapshotAsync(snapshot, BuildCopySource.Context(context), single);
            var second = await Workspace.CopyIntoSnapshotAsync(snapshot, BuildCopySource.Context(context), several);
            await Workspace.CopyIntoSnapshotAsync(snapshot, BuildCopySource.Context(context), intoExisting);
            Assert.StartsWith("file:", first.Checksum, StringComparison.Ordinal);
            Assert.StartsWith("multi:", second.Checksum, StringComparison.Ordinal);

            // Two inline files need a directory destination, as two context files do.
            var refused = await Assert.ThrowsAsync<BerthException>(() => Workspace.CopyIntoSnapshotAsync(snapshot, BuildCopySource.Context(context), several with { Destination = "/file" }));
            Assert.Contains("the destination must be a directory and end with a /", refused.Message, StringComparison.Ordinal);
            image = await Workspace.CommitStepAsync(snapshot, new BuildCommitSpec { CreatedBy = "/bin/sh -c #(nop) COPY " + second.Checksum + " in /dir/ " });
            AssertNothingLeft(snapshot);
        }

        // The checksum is the content's: asked again it is the same, a changed body or name changes it.
        Assert.Equal(first.Checksum, await Workspace.ChecksumAsync(BuildCopySource.Context(context), single));
        Assert.NotEqual(first.Checksum, await Workspace.ChecksumAsync(BuildCopySource.Context(context), single with { Contents = [new BuildInlineFile("EOF", "a=2\n")] }));
        Assert.NotEqual(first.Checksum, await Workspace.ChecksumAsync(BuildCopySource.Context(context), single with { Contents = [new BuildInlineFile("OTHER", "a=1\n")] }));

        var (code, seen) = await RunImageAsync(image, "sh", "-c",
            "cat /etc/app.conf /dir/ONE /dir/TWO /etc/motd; for f in /etc/app.conf /dir /dir/from-context.txt /dir/ONE /dir/TWO /etc/motd; do stat -c '%n %u:%g %a' $f; done");
        Assert.True(code == 0, seen);
        Assert.Equal(
            "a=1\none\ntwo\nhello\n/etc/app.conf 0:0 644\n/dir 1000:1000 755\n/dir/from-context.txt 1000:1000 750\n/dir/ONE 1000:1000 750\n/dir/TWO 1000:1000 750\n/etc/motd 0:0 644",
            seen);
    }

    [RootFact]
    public async Task AScriptRunsFromAReadOnlyMountThatIsNotCommitted()
    {
        const string Script = "#!/bin/sh\necho \"running $0 as $(id -u)\"\nif echo changed 2>/dev/null >> \"$0\"; then echo writable; else echo read-only; fi\necho made > /made\n";
        var output = new List<(LogStream Stream, string Text, DateTimeOffset At)>();
        string image;
        using (var snapshot = await Workspace.CreateSnapshotAsync(BusyboxId))
        {
            int code = await Workspace.RunStepAsync(snapshot, new BuildRunSpec
            {
                Args = ["/bin/sh", "-c", "/dev/pipes/SCRIPT"],
                Scripts = [new BuildInlineFile("SCRIPT", Script)],
                ScriptDirectory = "/dev/pipes",
            }, Collect(output));
            Assert.True(code == 0, Text(output, LogStream.Stderr));
            Assert.Equal("running /dev/pipes/SCRIPT as 0\nread-only\n", Text(output, LogStream.Stdout));
            image = await Workspace.CommitStepAsync(snapshot, new BuildCommitSpec { CreatedBy = "/bin/sh -c /dev/pipes/SCRIPT" });
            AssertNothingLeft(snapshot);

            // A user who is not root can still run it (0755 in a 0755 directory).
            output.Clear();
            code = await Workspace.RunStepAsync(snapshot, new BuildRunSpec
            {
                Args = ["/bin/sh", "-c", "/dev/pipes/SCRIPT 2>&1 | head -2"],
                User = "1000:1000",
                Scripts = [new BuildInlineFile("SCRIPT", Script)],
                ScriptDirectory = "/dev/pipes",
            }, Collect(output));
            Assert.True(code == 0, Text(output, LogStream.Stderr));
            Assert.Equal("running /dev/pipes/SCRIPT as 1000\nread-only\n", Text(output, LogStream.Stdout));
        }

        var layer = ReadLayer(Store.LayerTarPath(Store.Inspect(image).Config.RootFs!.DiffIds[^1]));
        Assert.Contains("made", layer);
        Assert.DoesNotContain(layer, name => name.StartsWith("dev", StringComparison.Ordinal));
        Assert.Equal((0, "made"), await RunImageAsync(image, "cat", "/made"));
    }
}
