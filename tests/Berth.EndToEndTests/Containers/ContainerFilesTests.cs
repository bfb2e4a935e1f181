using System.Formats.Tar;
using System.Net;
using System.Security.Cryptography;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// <c>docker cp</c> through the real docker CLI, byte for byte (content, modes, owners, symlinks, times) into and out of
/// running, created and exited containers and a named volume; hostile archives through the API writing nothing
/// outside the container; <c>docker diff</c>, <c>export</c>, <c>commit</c> and <c>container prune</c> as Docker's.
/// </summary>
public sealed class ContainerFilesTests : DaemonTest
{
    private const int NonRootUid = 1234;
    private const int NonRootGid = 5678;

    [RootFact]
    public void CpRoundTripsATreeByteExactThroughRunningCreatedAndExitedContainersAndAVolume()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string tree = MakeTree(Path.Combine(TestRoot, "tree"));
        // The docker CLI writes what it copies out as the user running it (docs: "Ownership is set to the user and
        // primary group at the destination"), so owners are compared inside the container and in the raw archive.
        var expected = Manifest(tree, owners: false);

        daemon.DockerChecked("run", "-d", "--name", "running", "-v", "cpvol:/data", "bb:latest", "sleep", "300");
        daemon.DockerChecked("create", "--name", "created", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "--name", "exited", "bb:latest", "true");
        foreach (string container in new[] { "running", "created", "exited" })
        {
            // Into a path that does not exist yet: the tree arrives under that name; then out again.
            daemon.DockerChecked("cp", tree, container + ":/copied");
            string back = Path.Combine(TestRoot, "back-" + container);
            daemon.DockerChecked("cp", container + ":/copied", back);
            Assert.Equal(expected, Manifest(back, owners: false));
        }

        // The archive itself carries the owners.
        using (var client = DaemonApi.Client(daemon))
        using (var archive = client.GetStreamAsync("/v1.41/containers/exited/archive?path=/copied").GetAwaiter().GetResult())
        using (var reader = new TarReader(archive))
        {
            var owners = new Dictionary<string, string>();
            while (reader.GetNextEntry() is { } entry)
            {
                owners[entry.Name] = $"{entry.Uid}:{entry.Gid} {Convert.ToString((int)entry.Mode, 8)}";
            }

            Assert.Equal($"{NonRootUid}:{NonRootGid} 640", owners["copied/owned.txt"]);
            Assert.Equal($"{NonRootUid}:{NonRootGid} 700", owners["copied/private/"]);
            Assert.Equal("0:0 4751", owners["copied/sub/script.sh"]);
        }

        // Inside, the running container sees the same bytes and owners.
        string inside = daemon.DockerChecked("exec", "running", "sh", "-c",
            "sha256sum /copied/big.bin | cut -d' ' -f1; stat -c '%a %u %g' /copied/owned.txt /copied/private; readlink /copied/link; ls -A /copied/sub/empty | wc -l").Output;
        Assert.Equal($"{Sha256(Path.Combine(tree, "big.bin"))}\n640 {NonRootUid} {NonRootGid}\n700 {NonRootUid} {NonRootGid}\nbig.bin\n0\n", inside);

        // What was copied into a created container is there once it runs, and survives a restart (the writable layer is kept).
        daemon.DockerChecked("start", "created");
        Assert.Equal(Sha256(Path.Combine(tree, "big.bin")) + "\n", daemon.DockerChecked("exec", "created", "sh", "-c", "sha256sum /copied/big.bin | cut -d' ' -f1").Output);
        daemon.DockerChecked("restart", "-t", "0", "created");
        Assert.Equal("0\n", daemon.DockerChecked("exec", "created", "sh", "-c", "ls -A /copied/sub/empty | wc -l").Output);

        // Into a named volume's path: the bytes land in the volume, which another container sees.
        daemon.DockerChecked("cp", tree, "running:/data/");
        Assert.Equal(Manifest(tree, owners: true), Manifest(Path.Combine(daemon.Root, "volumes", "cpvol", "_data", "tree"), owners: true));
        Assert.Equal(Sha256(Path.Combine(tree, "big.bin")) + "\n",
            daemon.DockerChecked("run", "--rm", "-v", "cpvol:/x", "bb:latest", "sh", "-c", "sha256sum /x/tree/big.bin | cut -d' ' -f1").Output);

        // A single file out, a symlink followed with -L, the contents of a directory with /., and Docker's errors.
        string single = Path.Combine(TestRoot, "single.bin");
        daemon.DockerChecked("cp", "running:/copied/big.bin", single);
        Assert.Equal(Sha256(Path.Combine(tree, "big.bin")), Sha256(single));
        string followed = Path.Combine(TestRoot, "followed.bin");
        daemon.DockerChecked("cp", "-L", "running:/copied/link", followed);
        Assert.Equal(Sha256(Path.Combine(tree, "big.bin")), Sha256(followed));
        string contents = Path.Combine(TestRoot, "contents");
        Directory.CreateDirectory(contents);
        daemon.DockerChecked("cp", "running:/copied/sub/.", contents);
        Assert.True(Directory.Exists(Path.Combine(contents, "empty")));
        Assert.Equal("Error response from daemon: Could not find the file /nosuch in container running\n", daemon.Docker("cp", "running:/nosuch", TestRoot).Error);
        Assert.Contains("No such container", daemon.Docker("cp", "ghost:/etc", TestRoot).Error, StringComparison.Ordinal);
    }

    [RootFact]
    public void AnArchiveLargerThanKestrelsDefaultBodyLimitIsCopiedWhole()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("run", "-d", "--name", "large", "bb:latest", "sleep", "300");

        // 40 MiB of random bytes: beyond the 30 MB Kestrel takes by default, which docker cp's PUT once hit.
        string file = Path.Combine(TestRoot, "large.bin");
        byte[] data = new byte[40 << 20];
        new Random(7).NextBytes(data);
        File.WriteAllBytes(file, data);
        daemon.DockerChecked("cp", file, "large:/large.bin");
        Assert.Equal(Sha256(file) + "\n", daemon.DockerChecked("exec", "large", "sh", "-c", "sha256sum /large.bin | cut -d' ' -f1").Output);
        string back = Path.Combine(TestRoot, "back.bin");
        daemon.DockerChecked("cp", "large:/large.bin", back);
        Assert.Equal(Sha256(file), Sha256(back));
        daemon.DockerChecked("rm", "-f", "large");
    }

    [RootFact]
    public async Task HostileArchivesWriteNothingOutsideTheContainer()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("run", "-d", "--name", "victim", "bb:latest", "sleep", "300");
        daemon.DockerChecked("exec", "victim", "ln", "-s", "/", "/tmp/rootlink");
        string marker = "berth-escape-" + Guid.NewGuid().ToString("N")[..8];
        string[] hostPaths = ["/" + marker, "/etc/" + marker, "/run/" + marker, Path.Combine(TestRoot, marker), Path.Combine(daemon.Root, marker)];
        using var client = DaemonApi.Client(daemon);

        // Names that climb out of the destination are refused before anything is written.
        foreach (string name in new[] { "../../" + marker, "../../../../../../etc/" + marker, "ok/../../../" + marker })
        {
            var refused = await PutAsync(client, "victim", "/tmp", Tar((TarEntryType.RegularFile, name, "")));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("is outside of", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A relative symlink out of the destination and a hard link to a file outside it: refused (go-archive's rules).
        var badLink = await PutAsync(client, "victim", "/tmp", Tar((TarEntryType.SymbolicLink, "up", "../../../../../../etc")));
        Assert.Equal(HttpStatusCode.BadRequest, badLink.StatusCode);
        var badHardLink = await PutAsync(client, "victim", "/tmp", Tar((TarEntryType.HardLink, "pw", "../../../../etc/passwd")));
        Assert.Equal(HttpStatusCode.BadRequest, badHardLink.StatusCode);

        // A symlink to / and a file through it, and a destination that is a symlink to /: both land in the container's /.
        var through = await PutAsync(client, "victim", "/tmp", Tar((TarEntryType.SymbolicLink, "esc", "/"), (TarEntryType.RegularFile, "esc/" + marker, "inside\n")));
        Assert.Equal(HttpStatusCode.OK, through.StatusCode);
        var viaDestination = await PutAsync(client, "victim", "/tmp/rootlink/etc", Tar((TarEntryType.RegularFile, marker, "in etc\n")));
        Assert.Equal(HttpStatusCode.OK, viaDestination.StatusCode);
        Assert.Equal("inside\nin etc\n", daemon.DockerChecked("exec", "victim", "cat", "/" + marker, "/etc/" + marker).Output);

        // Reading follows the same rules: a symlink to / gives the container's root, never the host's.
        string hostTarget = Path.Combine(TestRoot, "host-secret");
        File.WriteAllText(hostTarget, "host only\n");
        daemon.DockerChecked("exec", "victim", "ln", "-s", "../../../../../../.." + hostTarget, "/tmp/hostlink");
        Assert.NotEqual(0, daemon.Docker("cp", "-L", "victim:/tmp/hostlink", Path.Combine(TestRoot, "leaked")).ExitCode);
        Assert.False(File.Exists(Path.Combine(TestRoot, "leaked")));

        foreach (string path in hostPaths)
        {
            Assert.False(File.Exists(path), $"{path} was written on the host");
        }
    }

    [RootFact]
    public void DiffExportCommitAndPruneAreDockers()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("run", "-d", "--name", "changed", "bb:latest", "sleep", "300");
        Assert.Equal("", daemon.DockerChecked("diff", "changed").Output);
        daemon.DockerChecked("exec", "changed", "sh", "-c", "mkdir /newdir && echo x > /newdir/f && rm /bin/ls && touch /bin/busybox && echo hi > /tmp/x && echo hello-from-commit > /hello");
        Assert.Equal("C /bin\nC /bin/busybox\nD /bin/ls\nA /hello\nA /newdir\nA /newdir/f\nC /tmp\nA /tmp/x\n", daemon.DockerChecked("diff", "changed").Output);

        // export: the merged root filesystem, relative names, the deleted file gone.
        string exported = Path.Combine(TestRoot, "export.tar");
        daemon.DockerChecked("export", "-o", exported, "changed");
        string[] names = Cmd.Check("tar", "-tf", exported).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("newdir/f", names);
        Assert.Contains("hello", names);
        Assert.Contains("bin/busybox", names);
        Assert.DoesNotContain("bin/ls", names);

        // commit with a new CMD: the image runs it and sees the container's changes; changes Docker refuses are refused.
        string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string id = daemon.DockerChecked("commit", "-c", "CMD [\"cat\",\"/hello\"]", "-c", "ENV COMMITTED=yes", "-m", "a message", "changed", "committed:v1").Output.Trim();
        Assert.Matches("^sha256:[0-9a-f]{64}$", id);
        Assert.Equal("hello-from-commit\n", daemon.DockerChecked("run", "--rm", "committed:v1").Output);
        Assert.Equal("yes gone x\n", daemon.DockerChecked("run", "--rm", "committed:v1", "sh", "-c", "echo $COMMITTED $(test -e /bin/ls && echo there || echo gone) $(cat /newdir/f)").Output);
        Assert.Equal("[cat /hello]\n", daemon.DockerChecked("image", "inspect", "-f", "{{.Config.Cmd}}", "committed:v1").Output);
        Assert.Contains("a message", daemon.DockerChecked("history", "--no-trunc", "committed:v1").Output, StringComparison.Ordinal);
        Assert.Contains("run is not a valid change command", daemon.Docker("commit", "-c", "RUN echo no", "changed").Error, StringComparison.Ordinal);
        // The running container was frozen while its layer was written (moby's default pause=1), and runs on after.
        Assert.Equal("pause\nunpause\ncommit\n", daemon.DockerChecked("events", "--since", since, "--until", DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--filter", "container=changed", "--filter", "event=commit", "--filter", "event=pause", "--filter", "event=unpause", "--format", "{{.Action}}").Output);
        Assert.Equal("running false", daemon.DockerChecked("inspect", "-f", "{{.State.Status}} {{.State.Paused}}", "changed").Output.Trim());

        // prune: stopped containers with the label go; unlabelled and running ones stay.
        string createdId = daemon.DockerChecked("create", "--name", "p-created", "--label", "x=1", "bb:latest", "true").Output.Trim();
        daemon.DockerChecked("run", "--name", "p-exited", "--label", "x=1", "bb:latest", "sh", "-c", "echo data > /data");
        string exitedId = daemon.DockerChecked("inspect", "-f", "{{.Id}}", "p-exited").Output.Trim();
        daemon.DockerChecked("run", "--name", "p-other", "bb:latest", "true");
        daemon.DockerChecked("run", "-d", "--name", "p-running", "--label", "x=1", "bb:latest", "sleep", "300");
        string pruned = daemon.DockerChecked("container", "prune", "-f", "--filter", "label=x").Output;
        Assert.StartsWith("Deleted Containers:\n", pruned, StringComparison.Ordinal);
        Assert.Contains(createdId, pruned, StringComparison.Ordinal);
        Assert.Contains(exitedId, pruned, StringComparison.Ordinal);
        Assert.Equal("changed\np-other\np-running\n", string.Concat(daemon.DockerChecked("ps", "-a", "--format", "{{.Names}}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).Select(n => n + "\n")));
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, string container, string path, byte[] tar)
    {
        using var content = new ByteArrayContent(tar);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-tar");
        return await client.PutAsync($"/v1.41/containers/{container}/archive?path={Uri.EscapeDataString(path)}&noOverwriteDirNonDir=1", content);
    }

    /// <summary>A tar of entries as given (names and link targets verbatim, which is the point).</summary>
    private static byte[] Tar(params (TarEntryType Type, string Name, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var (type, name, content) in entries)
            {
                var entry = new GnuTarEntry(type, name) { Mode = (UnixFileMode)0x1A4 };
                if (type is TarEntryType.SymbolicLink or TarEntryType.HardLink)
                {
                    entry.LinkName = content;
                }
                else
                {
                    entry.DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
                }

                writer.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A tree with a 1 MB random file, a symlink, an empty directory, odd modes and a non-root owner.</summary>
    private static string MakeTree(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "sub", "empty"));
        File.WriteAllBytes(Path.Combine(root, "big.bin"), RandomNumberGenerator.GetBytes(1 << 20));
        File.CreateSymbolicLink(Path.Combine(root, "link"), "big.bin");
        File.WriteAllText(Path.Combine(root, "sub", "script.sh"), "#!/bin/sh\necho odd\n");
        File.SetUnixFileMode(Path.Combine(root, "sub", "script.sh"), (UnixFileMode)Convert.ToInt32("4751", 8));
        File.WriteAllText(Path.Combine(root, "owned.txt"), "owned\n");
        File.SetUnixFileMode(Path.Combine(root, "owned.txt"), (UnixFileMode)Convert.ToInt32("640", 8));
        Directory.CreateDirectory(Path.Combine(root, "private"));
        File.SetUnixFileMode(Path.Combine(root, "private"), (UnixFileMode)Convert.ToInt32("700", 8));
        Directory.CreateDirectory(Path.Combine(root, "sticky"));
        File.SetUnixFileMode(Path.Combine(root, "sticky"), (UnixFileMode)Convert.ToInt32("1777", 8));
        Cmd.Check("chown", $"{NonRootUid}:{NonRootGid}", Path.Combine(root, "owned.txt"), Path.Combine(root, "private"));
        File.SetUnixFileMode(Path.Combine(root, "sub", "script.sh"), (UnixFileMode)Convert.ToInt32("4751", 8));
        foreach (string path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Where(p => new FileInfo(p).LinkTarget is null))
        {
            File.SetLastWriteTimeUtc(path, new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc));
        }

        return root;
    }

    /// <summary>Every entry below <paramref name="root"/>: type, mode, owner, size, mtime (seconds), content hash, link target.</summary>
    private static List<string> Manifest(string root, bool owners) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(path =>
        {
            string relative = Path.GetRelativePath(root, path);
            string stat = Cmd.Check("stat", "-c", owners ? "%F %a %u %g %s" : "%F %a %s", path).Trim();
            var info = new FileInfo(path);
            string detail = info.LinkTarget is { } target ? "-> " + target
                : Directory.Exists(path) ? new DirectoryInfo(path).LastWriteTimeUtc.ToString("s", System.Globalization.CultureInfo.InvariantCulture)
                : Sha256(path) + " " + info.LastWriteTimeUtc.ToString("s", System.Globalization.CultureInfo.InvariantCulture);
            return $"{relative} {stat} {detail}";
        })];

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
