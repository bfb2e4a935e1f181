using System.Formats.Tar;
using Berth.Core.Errors;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Runtime.Build;
using Berth.Runtime.Containers;

namespace Berth.Runtime.IntegrationTests.Build;

public sealed class BuildStepTests : BuildTest
{
    private const string RunScript = "echo hi > /hello; rm /bin/true; echo app:x:1000:1000::/:/bin/sh >> /etc/passwd; echo app:x:1000: >> /etc/group; echo ran; echo warned >&2";

    [RootFact]
    public async Task FourStepsByHandMakeAnImageWithTheFilesOwnersWhiteoutEnvAndCmd()
    {
        // FROM busybox; RUN …
        string afterRun;
        var output = new List<(LogStream Stream, string Text, DateTimeOffset At)>();
        using (var snapshot = await Workspace.CreateSnapshotAsync(BusyboxId))
        {
            int code = await Workspace.RunStepAsync(snapshot, new BuildRunSpec { Args = ["sh", "-c", RunScript] }, Collect(output));
            Assert.True(code == 0, Text(output, LogStream.Stderr));
            afterRun = await Workspace.CommitStepAsync(snapshot, new BuildCommitSpec { CreatedBy = "/bin/sh -c " + RunScript });
            AssertNothingLeft(snapshot);
        }

        Assert.Equal("ran\n", Text(output, LogStream.Stdout));
        Assert.Equal("warned\n", Text(output, LogStream.Stderr));

        // COPY --chown=app:app . /app/ — a file, a symlink, a subdirectory.
        string context = NewContext("four-steps");
        File.WriteAllText(Path.Combine(context, "file.txt"), "data\n");
        File.SetUnixFileMode(Path.Combine(context, "file.txt"), (UnixFileMode)Convert.ToInt32("640", 8));
        File.CreateSymbolicLink(Path.Combine(context, "link"), "file.txt");
        Directory.CreateDirectory(Path.Combine(context, "sub"));
        File.SetUnixFileMode(Path.Combine(context, "sub"), (UnixFileMode)Convert.ToInt32("750", 8));
        File.WriteAllText(Path.Combine(context, "sub", "inner.txt"), "inner\n");
        File.SetUnixFileMode(Path.Combine(context, "sub", "inner.txt"), (UnixFileMode)Convert.ToInt32("600", 8));
        string afterCopy;
        BuildCopyResult copied;
        using (var snapshot = await Workspace.CreateSnapshotAsync(afterRun))
        {
            copied = await Workspace.CopyIntoSnapshotAsync(snapshot, BuildCopySource.Context(context), new BuildCopySpec { Sources = ["."], Destination = "/app/", Chown = "app:app" });
            afterCopy = await Workspace.CommitStepAsync(snapshot, new BuildCommitSpec { CreatedBy = $"/bin/sh -c #(nop) COPY --chown=app:app {copied.Checksum} in /app/" });
            AssertNothingLeft(snapshot);
        }

        Assert.StartsWith("dir:", copied.Checksum, StringComparison.Ordinal);
        Assert.Equal(copied.Checksum, await Workspace.ChecksumAsync(BuildCopySource.Context(context), new BuildCopySpec { Sources = ["."], Destination = "/app/", Chown = "app:app" }));

        // ENV GREETING=hello + CMD ["cat", "/hello"]: no layer.
        string final = await Workspace.CommitMetadataAsync(afterCopy, new BuildCommitSpec
        {
            CreatedBy = "/bin/sh -c #(nop)  CMD [\"cat\" \"/hello\"]",
            Changes = new BuildConfigChanges { Env = ["GREETING=hello"], Cmd = ["cat", "/hello"] },
        });
        await Workspace.TagAsync(final, ["built:test"]);

        var image = Store.Inspect("built:test");
        Assert.Equal(final, image.Id);
        Assert.Equal(3, image.Config.RootFs!.DiffIds.Count);
        Assert.Equal<bool>([false, false, false, true], image.Config.History!.Select(h => h.EmptyLayer));
        Assert.Equal("/bin/sh -c " + RunScript, image.Config.History![1].CreatedBy);
        Assert.Contains("GREETING=hello", image.Config.Config!.Env!);
        Assert.Equal<string>(["cat", "/hello"], image.Config.Config.Cmd!);

        // The RUN layer records the deletion as a whiteout and leaves the runtime's mount points out.
        var runLayer = ReadLayer(Store.LayerTarPath(image.Config.RootFs.DiffIds[1]));
        Assert.Contains("bin/.wh.true", runLayer);
        Assert.Contains("hello", runLayer);
        Assert.DoesNotContain(runLayer, name => name.StartsWith("proc", StringComparison.Ordinal) || name == "etc/hosts" || name == "etc/resolv.conf");

        // A container of the image sees all of it.
        var (cmdCode, cmdOutput) = await RunImageAsync(final, "cat", "/hello");
        Assert.Equal((0, "hi"), (cmdCode, cmdOutput));
        var (code2, seen) = await RunImageAsync(final, "sh", "-c",
            "test -e /bin/true || echo true-gone; echo $GREETING; cat /app/file.txt /app/sub/inner.txt; readlink /app/link; " +
            "for f in /app /app/file.txt /app/sub /app/sub/inner.txt; do stat -c '%n %u:%g %a' $f; done; stat -c '%F %u:%g' /app/link");
        Assert.True(code2 == 0, seen);
        Assert.Equal(
            "true-gone\nhello\ndata\ninner\nfile.txt\n/app 1000:1000 755\n/app/file.txt 1000:1000 640\n/app/sub 1000:1000 750\n/app/sub/inner.txt 1000:1000 600\nsymbolic link 1000:1000",
            seen);
    }

    [RootFact]
    public async Task ARunThatExitsThreeReturnsThreeWithItsOutputStreamedAndLeavesNothing()
    {
        var output = new List<(LogStream Stream, string Text, DateTimeOffset At)>();
        using var snapshot = await Workspace.CreateSnapshotAsync(BusyboxId);
        int code = await Workspace.RunStepAsync(snapshot, new BuildRunSpec { Args = ["sh", "-c", "echo before; echo oops >&2; sleep 2; echo after; exit 3"] }, Collect(output));
        var returned = DateTimeOffset.UtcNow;

        Assert.Equal(3, code);
        Assert.Equal("before\nafter\n", Text(output, LogStream.Stdout));
        Assert.Equal("oops\n", Text(output, LogStream.Stderr));

        // Streamed while it ran: the first line came well before the end.
        var first = output.First(o => o.Text == "before\n").At;
        Assert.True(returned - first > TimeSpan.FromSeconds(1), $"the first output arrived {(returned - first).TotalMilliseconds} ms before the step returned");
        AssertNothingLeft(snapshot);
        Assert.False(Directory.Exists(snapshot.Paths.Directory), "the run's bundle remains");
    }

    [RootFact]
    public async Task ACancelledRunIsKilledAndDeleted()
    {
        using var snapshot = await Workspace.CreateSnapshotAsync(BusyboxId);
        var output = new List<(LogStream Stream, string Text, DateTimeOffset At)>();
        using var cancel = new CancellationTokenSource();
        var run = Workspace.RunStepAsync(snapshot, new BuildRunSpec { Args = ["sh", "-c", "echo started; sleep 1000"] }, Collect(output), cancel.Token);
        Assert.True(Poll.Until(() => { lock (output) { return output.Count > 0; } }, TimeSpan.FromSeconds(20)), "the step printed nothing");
        Assert.True(Runtime.Exists(snapshot.ContainerId));

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        AssertNothingLeft(snapshot);
    }

    [RootFact]
    public async Task ASweepRemovesACrashedBuildsContainerMountAndFiles()
    {
        // What a berthd killed during a RUN leaves: a snapshot directory nobody locks, its container running, its rootfs mounted.
        string leftover = Path.Combine(WorkspaceDirectory, "0123456789abcdef");
        string id = "berth-build-0123456789abcdef";
        var layers = Store.Inspect(BusyboxId).LayerDirectories.Reverse().ToList();
        await Runtime.CreateAsync(
            new ContainerSpec { Id = id, Layers = [.. layers], Cmd = ["sleep", "1000"], LayerDirectory = Path.Combine(leftover, "layer") },
            Path.Combine(leftover, "run"));
        await Runtime.StartAsync(id);
        Assert.Contains(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(leftover, StringComparison.Ordinal));

        using (var live = await Workspace.CreateSnapshotAsync(BusyboxId))
        {
            Assert.False(Runtime.Exists(id), "the crashed build's container is still there");
            Assert.False(Directory.Exists(leftover), "the crashed build's directory is still there");
            await Workspace.SweepAsync();
            Assert.True(Directory.Exists(live.Directory), "the sweep removed a live snapshot");
        }

        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(WorkspaceDirectory, StringComparison.Ordinal));
    }

    [RootFact]
    public async Task TheContentChecksumFollowsContentNotMtimesOrDiskOrder()
    {
        var names = new[] { "a.txt", "b.txt", "dir/c.txt", "dir/d.txt" };
        string first = NewContext("order-1");
        string second = NewContext("order-2");
        foreach (string name in names)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(first, name))!);
            File.WriteAllText(Path.Combine(first, name), "content of " + name);
        }

        // The same tree made in the other order, with other times.
        foreach (string name in names.Reverse())
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(second, name))!);
            File.WriteAllText(Path.Combine(second, name), "content of " + name);
            File.SetLastWriteTimeUtc(Path.Combine(second, name), new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        }

        var copy = new BuildCopySpec { Sources = ["."], Destination = "/x/" };
        string sum = await Workspace.ChecksumAsync(BuildCopySource.Context(first), copy);
        Assert.Equal(sum, await Workspace.ChecksumAsync(BuildCopySource.Context(second), copy));

        // One byte changed, a mode changed, a --chown given: each changes it.
        File.WriteAllText(Path.Combine(second, "dir/d.txt"), "content of dir/d.tXt");
        string changed = await Workspace.ChecksumAsync(BuildCopySource.Context(second), copy);
        Assert.NotEqual(sum, changed);
        File.SetUnixFileMode(Path.Combine(first, "a.txt"), (UnixFileMode)Convert.ToInt32("600", 8));
        Assert.NotEqual(sum, await Workspace.ChecksumAsync(BuildCopySource.Context(first), copy));
        Assert.NotEqual(changed, await Workspace.ChecksumAsync(BuildCopySource.Context(second), copy with { Chown = "1000:1000" }));

        // A file source is named by its content; several sources make a multi sum; a pattern expands in name order.
        Assert.StartsWith("file:", await Workspace.ChecksumAsync(BuildCopySource.Context(first), copy with { Sources = ["a.txt"] }), StringComparison.Ordinal);
        Assert.Equal(
            await Workspace.ChecksumAsync(BuildCopySource.Context(first), copy with { Sources = ["a.txt", "b.txt"] }),
            await Workspace.ChecksumAsync(BuildCopySource.Context(first), copy with { Sources = ["*.txt"] }));
    }

    [RootFact]
    public async Task AHostileContextNeverWritesOutsideTheSnapshot()
    {
        string marker = "berth-build-escape-" + Guid.NewGuid().ToString("N")[..8];
        string context = NewContext("hostile");
        File.CreateSymbolicLink(Path.Combine(context, "hostetc"), "/etc");
        File.WriteAllText(Path.Combine(context, marker), "should stay in the snapshot\n");
        WriteEvilTar(Path.Combine(context, "evil.tar"), marker);

        using var snapshot = await Workspace.CreateSnapshotAsync(BusyboxId);

        // A symlink in the snapshot aimed at /etc: the copy lands in the snapshot's /etc.
        Assert.Equal(0, await Workspace.RunStepAsync(snapshot, new BuildRunSpec { Args = ["ln", "-s", "/etc", "/out"] }, null));
        await Workspace.CopyIntoSnapshotAsync(snapshot, BuildCopySource.Context(context), new BuildCopySpec { Sources = [marker], Destination = "/out/" });

        // The context's own symlink to /etc is copied as a symlink; a source through it stays in the context.
        await Workspace.CopyIntoSnapshotAsync(snapshot, BuildCopySource.Context(context), new BuildCopySpec { Sources = ["."], Destination = "/whole/" });
        var notFound = await Assert.ThrowsAsync<BerthException>(() =>
            Workspace.CopyIntoSnapshotAsync(snapshot, BuildCopySource.Context(context), new BuildCopySpec { Sources = ["hostetc/passwd"], Destination = "/stolen" }));
        Assert.Equal(ErrorKind.NotFound, notFound.Kind);

        // ADD of a tar whose symlink points at /etc and whose next entry writes through it.
        await Workspace.CopyIntoSnapshotAsync(snapshot, BuildCopySource.Context(context), new BuildCopySpec { Sources = ["evil.tar"], Destination = "/unpacked/", ExtractArchives = true });

        Assert.False(File.Exists("/etc/" + marker), "a copy wrote to the host's /etc");
        Assert.False(File.Exists("/etc/" + marker + "-tar"), "an archive wrote to the host's /etc");
        string upper = snapshot.UpperDirectory;
        Assert.Equal("should stay in the snapshot\n", File.ReadAllText(Path.Combine(upper, "etc", marker)));
        Assert.Equal("through the link\n", File.ReadAllText(Path.Combine(upper, "etc", marker + "-tar")));
        Assert.False(File.Exists(Path.Combine(upper, "stolen")));

        // A path climbing out of the destination is refused.
        string climbing = Path.Combine(context, "climb.tar");
        using (var stream = File.Create(climbing))
        using (var writer = new TarWriter(stream, TarEntryFormat.Gnu))
        {
            writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, "../../../../" + marker + "-climb") { DataStream = new MemoryStream("x"u8.ToArray()) });
        }

        var refused = await Assert.ThrowsAsync<BerthException>(() =>
            Workspace.CopyIntoSnapshotAsync(snapshot, BuildCopySource.Context(context), new BuildCopySpec { Sources = ["climb.tar"], Destination = "/unpacked/", ExtractArchives = true }));
        Assert.Equal(ErrorKind.InvalidArgument, refused.Kind);
        Assert.False(File.Exists("/" + marker + "-climb"));

        var link = new FileInfo(Path.Combine(upper, "whole", "hostetc"));
        Assert.Equal("/etc", link.LinkTarget);
        AssertNothingLeft(snapshot);
    }

    private static void WriteEvilTar(string path, string marker)
    {
        using var stream = File.Create(path);
        using var writer = new TarWriter(stream, TarEntryFormat.Gnu);
        writer.WriteEntry(new GnuTarEntry(TarEntryType.SymbolicLink, "escape") { LinkName = "/etc" });
        writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, "escape/" + marker + "-tar") { DataStream = new MemoryStream("through the link\n"u8.ToArray()) });
    }
}
