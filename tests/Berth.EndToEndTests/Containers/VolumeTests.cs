using System.Text.Json;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// Named and anonymous volumes through the real docker CLI and berth: data shared between containers, the image's
/// content copied into a new volume, <c>docker volume ls/inspect/rm/prune</c>, removal refused while in use with
/// Docker's message, <c>rm -v</c>, <c>--mount</c>, and volumes surviving a <c>kill -9</c> of berthd.
/// </summary>
public sealed class VolumeTests : DaemonTest
{
    private const string SeedOwner = "1234";

    [RootFact]
    public void NamedVolumesShareDataCopyUpAndAreManagedLikeDockers()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        ImportSeededImage(daemon);

        // A named volume: written by one container, read by another (read-only there), visible at its mount point.
        Assert.Equal("vol1\n", daemon.DockerChecked("volume", "create", "--label", "team=a", "vol1").Output);
        daemon.DockerChecked("run", "--rm", "-v", "vol1:/data", "bb:latest", "sh", "-c", "echo hello > /data/f");
        Assert.Equal("hello\n", daemon.DockerChecked("run", "--rm", "-v", "vol1:/x:ro", "bb:latest", "cat", "/x/f").Output);
        var readOnly = daemon.Docker("run", "--rm", "-v", "vol1:/x:ro", "bb:latest", "sh", "-c", "echo no > /x/g");
        Assert.NotEqual(0, readOnly.ExitCode);
        Assert.Contains("Read-only file system", readOnly.Error, StringComparison.Ordinal);
        string mountpoint = Path.Combine(daemon.Root, "volumes", "vol1", "_data");
        Assert.Equal(mountpoint + "\n", daemon.DockerChecked("volume", "inspect", "-f", "{{.Mountpoint}}", "vol1").Output);
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(mountpoint, "f")));

        // docker volume inspect: Docker's fields, labels as sent; a volume made by first use has none (null).
        using (var inspected = JsonDocument.Parse(daemon.DockerChecked("volume", "inspect", "vol1").Output))
        {
            var volume = inspected.RootElement[0];
            Assert.Equal("local", volume.GetProperty("Driver").GetString());
            Assert.Equal("local", volume.GetProperty("Scope").GetString());
            Assert.Equal("a", volume.GetProperty("Labels").GetProperty("team").GetString());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", volume.GetProperty("CreatedAt").GetString());
        }

        daemon.DockerChecked("run", "--rm", "-v", "auto1:/d", "bb:latest", "true");
        Assert.Equal("auto1 null null\n", daemon.DockerChecked("volume", "inspect", "-f", "{{.Name}} {{json .Labels}} {{json .Options}}", "auto1").Output);

        // Copy-up: a new volume gets the image's content with owner and mode; a volume with content keeps its own.
        Assert.Equal($"seed\n{SeedOwner} 640\ntarget\n",
            daemon.DockerChecked("run", "--rm", "-v", "seeded1:/data", "seeded:latest", "sh", "-c", "cat /data/seed.txt; stat -c '%u %a' /data/seed.txt; readlink /data/link").Output);
        daemon.DockerChecked("run", "--rm", "-v", "seeded1:/data", "bb:latest", "sh", "-c", "echo mine > /data/seed.txt");
        Assert.Equal("mine\n", daemon.DockerChecked("run", "--rm", "-v", "seeded1:/data", "seeded:latest", "cat", "/data/seed.txt").Output);
        Assert.Equal("", daemon.DockerChecked("run", "--rm", "-v", "nocopy1:/data:nocopy", "seeded:latest", "ls", "/data").Output);

        // The image's VOLUME: an anonymous volume with the image's content; docker rm -v removes it.
        daemon.DockerChecked("create", "--name", "anon", "seeded:latest");
        using (var mounts = JsonDocument.Parse(daemon.DockerChecked("inspect", "-f", "{{json .Mounts}}", "anon").Output))
        {
            var mount = Assert.Single(mounts.RootElement.EnumerateArray());
            string anonymous = mount.GetProperty("Name").GetString()!;
            Assert.Matches("^[0-9a-f]{64}$", anonymous);
            Assert.Equal(
                $"{{\"Type\":\"volume\",\"Name\":\"{anonymous}\",\"Source\":\"{daemon.Root}/volumes/{anonymous}/_data\",\"Destination\":\"/data\",\"Driver\":\"local\",\"Mode\":\"\",\"RW\":true,\"Propagation\":\"\"}}",
                mount.GetRawText());
            Assert.Equal("seed\n", File.ReadAllText(Path.Combine(daemon.Root, "volumes", anonymous, "_data", "seed.txt")));
            Assert.Equal("{\"com.docker.volume.anonymous\":\"\"}\n", daemon.DockerChecked("volume", "inspect", "-f", "{{json .Labels}}", anonymous).Output);
            Assert.Equal("anon\n", daemon.DockerChecked("rm", "-v", "anon").Output);
            Assert.False(Directory.Exists(Path.Combine(daemon.Root, "volumes", anonymous)));
            Assert.Contains("no such volume", daemon.Docker("volume", "inspect", anonymous).Error, StringComparison.Ordinal);
        }

        // -v /path: anonymous too; without -v it stays, dangling, and prune (anonymous only) takes it, not named ones.
        daemon.DockerChecked("create", "--name", "anon2", "-v", "/scratch", "bb:latest");
        string scratch = daemon.DockerChecked("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", "anon2").Output.Trim();
        daemon.DockerChecked("rm", "anon2");
        Assert.Contains(scratch, daemon.DockerChecked("volume", "ls", "-q", "--filter", "dangling=true").Output, StringComparison.Ordinal);
        Assert.Equal($"Deleted Volumes:\n{scratch}\n\nTotal reclaimed space: 0B\n", daemon.DockerChecked("volume", "prune", "-f").Output);
        Assert.Equal("auto1\nnocopy1\nseeded1\nvol1\n", daemon.DockerChecked("volume", "ls", "-q").Output);

        // In use (even by a container that is only created): refused with Docker's message and its id.
        string userId = daemon.DockerChecked("create", "--name", "user1", "-v", "vol1:/data", "bb:latest").Output.Trim();
        var inUse = daemon.Docker("volume", "rm", "vol1");
        Assert.Equal(1, inUse.ExitCode);
        Assert.Equal($"Error response from daemon: remove vol1: volume is in use - [{userId}]\n", inUse.Error);
        Assert.Equal(
            $"[{{\"Type\":\"volume\",\"Name\":\"vol1\",\"Source\":\"{mountpoint}\",\"Destination\":\"/data\",\"Driver\":\"local\",\"Mode\":\"z\",\"RW\":true,\"Propagation\":\"\"}}]\n",
            daemon.DockerChecked("inspect", "-f", "{{json .Mounts}}", "user1").Output);
        Assert.Equal("vol1\n", daemon.DockerChecked("volume", "ls", "-q", "--filter", "dangling=false").Output);
        Assert.Equal("vol1\n", daemon.DockerChecked("volume", "ls", "-q", "--filter", "label=team=a").Output);

        // --mount: type=volume makes the volume, type=bind needs its source, readonly holds.
        string hostDir = Path.Combine(TestRoot, "bound");
        Directory.CreateDirectory(hostDir);
        File.WriteAllText(Path.Combine(hostDir, "h"), "host\n");
        Assert.Equal("host\nm\nread-only\n", daemon.DockerChecked("run", "--rm", "--mount", "type=volume,source=mnt1,target=/m", "--mount", $"type=bind,source={hostDir},target=/b,readonly",
            "bb:latest", "sh", "-c", "cat /b/h; echo m > /m/x; cat /m/x; touch /b/no 2>/dev/null && echo writable || echo read-only").Output);
        var missing = daemon.Docker("run", "--rm", "--mount", "type=bind,source=/no/such/dir,target=/b", "bb:latest", "true");
        Assert.Contains("invalid mount config for type \"bind\": bind source path does not exist: /no/such/dir", missing.Error, StringComparison.Ordinal);

        // Refusals with Docker's messages, nothing made.
        Assert.Contains("Error response from daemon: get nosuch: no such volume", daemon.Docker("volume", "rm", "nosuch").Error, StringComparison.Ordinal);
        Assert.Equal(0, daemon.Docker("volume", "rm", "-f", "nosuch").ExitCode);
        Assert.Contains("is not supported by Berth", daemon.Docker("volume", "create", "-o", "type=tmpfs", "tmp1").Error, StringComparison.Ordinal);
        Assert.Contains("includes invalid characters for a local volume name", daemon.Docker("volume", "create", "bad/name").Error, StringComparison.Ordinal);
        Assert.Contains("Duplicate mount point: /d", daemon.Docker("create", "-v", "a1:/d", "-v", "a2:/d", "bb:latest").Error, StringComparison.Ordinal);

        // berth prints what docker prints.
        foreach (string[] command in new[]
        {
            new[] { "volume", "ls" },
            ["volume", "ls", "--format", "{{.Name}}\t{{.Driver}}\t{{.Scope}}\t{{.Labels}}\t{{.Label \"team\"}}\t{{.Mountpoint}}\t{{.Size}}"],
            ["volume", "ls", "--format", "json"],
            ["volume", "ls", "--format", "table {{.Name}}\t{{.Links}}\t{{.Mountpoint}}"],
            ["volume", "ls", "-q", "--filter", "name=^s"],
            ["volume", "inspect", "vol1", "seeded1"],
            ["volume", "inspect", "-f", "{{.Name}}: {{.Labels}}", "vol1"],
        })
        {
            Assert.Equal(daemon.DockerChecked(command).Output, Check(daemon.BerthCli(command)).Output);
        }

        var berthInUse = daemon.BerthCli("volume", "rm", "vol1", "nosuch");
        var dockerInUse = daemon.Docker("volume", "rm", "vol1", "nosuch");
        Assert.Equal((dockerInUse.ExitCode, dockerInUse.Output, dockerInUse.Error), (berthInUse.ExitCode, berthInUse.Output, berthInUse.Error));
        Assert.Equal("b1\n", Check(daemon.BerthCli("volume", "create", "b1")).Output);
        Assert.Equal("b2\n", daemon.DockerChecked("volume", "create", "b2").Output);
        Assert.Equal("b1\n", Check(daemon.BerthCli("volume", "rm", "b1")).Output);
        Assert.Equal("b3\n", Check(daemon.BerthCli("volume", "create", "b3")).Output);
        const string Made = "{{.Driver}} {{json .Labels}} {{json .Options}}";
        Assert.Equal(daemon.DockerChecked("volume", "inspect", "-f", Made, "b2").Output, daemon.DockerChecked("volume", "inspect", "-f", Made, "b3").Output);
        Assert.Equal("Total reclaimed space: 0B\n", Check(daemon.BerthCli("volume", "prune", "-f")).Output);

        // prune --all: every unused volume, with their bytes; vol1 stays while user1 uses it.
        string berthPrune = Check(daemon.BerthCli("volume", "prune", "-af", "--filter", "label!=team")).Output;
        Assert.Equal("Deleted Volumes:\nauto1\nb2\nb3\nmnt1\nnocopy1\nseeded1\n\nTotal reclaimed space: 13B\n", berthPrune);
        Assert.Equal("vol1\n", daemon.DockerChecked("volume", "ls", "-q").Output);
        daemon.DockerChecked("rm", "user1");
        Assert.Equal("Deleted Volumes:\nvol1\n\nTotal reclaimed space: 6B\n", daemon.DockerChecked("volume", "prune", "--all", "--force").Output);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Path.Combine(daemon.Root, "volumes")), p => !p.EndsWith("/.staging", StringComparison.Ordinal));
    }

    [RootFact]
    public void VolumesSurviveAKillOfBerthdAndRunRemovesAnonymousOnes()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("volume", "create", "kept");
        daemon.DockerChecked("run", "-d", "--name", "writer", "-v", "kept:/data", "bb:latest", "sh", "-c", "echo before-crash > /data/f; sleep 300");
        Assert.True(Poll.Until(() => File.Exists(Path.Combine(daemon.Root, "volumes", "kept", "_data", "f")), TimeSpan.FromSeconds(10)), "the container never wrote into the volume");

        daemon.Kill();
        var again = Restart(daemon);
        Assert.Equal("kept\n", again.DockerChecked("volume", "ls", "-q").Output);
        Assert.Equal("before-crash\n", again.DockerChecked("run", "--rm", "-v", "kept:/data", "bb:latest", "cat", "/data/f").Output);
        Assert.Contains("volume is in use", again.Docker("volume", "rm", "kept").Error, StringComparison.Ordinal);
        again.DockerChecked("rm", "-f", "writer");

        // --rm removes the container's anonymous volumes, never its named ones.
        again.DockerChecked("run", "--rm", "-v", "/anon", "-v", "kept:/data", "bb:latest", "sh", "-c", "echo x > /anon/x");
        Assert.Equal("kept\n", again.DockerChecked("volume", "ls", "-q").Output);
        again.DockerChecked("volume", "rm", "kept");
        Assert.Equal("", again.DockerChecked("volume", "ls", "-q").Output);
    }

    /// <summary><c>seeded:latest</c>: busybox with <c>/data/seed.txt</c> (owner 1234, mode 0640) and a symlink, and <c>VOLUME /data</c>.</summary>
    private void ImportSeededImage(Berthd daemon)
    {
        string directory = Path.Combine(TestRoot, "seeded");
        Directory.CreateDirectory(directory);
        BusyboxImage.BuildTar(directory);
        string rootfs = Path.Combine(directory, "busybox-rootfs");
        string data = Path.Combine(rootfs, "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "seed.txt"), "seed\n");
        File.CreateSymbolicLink(Path.Combine(data, "link"), "target");
        Cmd.Check("chown", SeedOwner + ":" + SeedOwner, Path.Combine(data, "seed.txt"));
        Cmd.Check("chmod", "0640", Path.Combine(data, "seed.txt"));
        string tar = Path.Combine(directory, "seeded.tar");
        Cmd.Check("tar", "--numeric-owner", "-C", rootfs, "-cf", tar, ".");
        daemon.DockerChecked("import", "-c", "CMD [\"sh\"]", "-c", "VOLUME /data", tar, "seeded:latest");
    }

    private static CmdResult Check(CmdResult result)
    {
        Assert.True(result.Succeeded, result.ToString());
        return result;
    }
}
