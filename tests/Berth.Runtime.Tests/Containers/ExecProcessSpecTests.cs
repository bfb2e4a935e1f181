using System.Text.Json.Nodes;
using Berth.Core.Errors;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests.Containers;

public sealed class ExecProcessSpecTests : IDisposable
{
    private readonly string _rootfs = Directory.CreateTempSubdirectory("berth-exec-rootfs").FullName;

    private static readonly ContainerSpec Container = new()
    {
        Id = "c1",
        Layers = ["/layers/a"],
        Cmd = ["sleep", "300"],
        Env = ["FROM_IMAGE=1", "MODE=run"],
        WorkingDir = "/srv",
        User = "daemon",
        Tty = true,
        Hostname = "web1",
        NoFile = 4096,
    };

    public ExecProcessSpecTests()
    {
        Directory.CreateDirectory(Path.Combine(_rootfs, "etc"));
        File.WriteAllText(Path.Combine(_rootfs, "etc/passwd"), "root:x:0:0::/root:/bin/sh\ndaemon:x:2:3::/:/bin/false\nweb:x:1000:1000::/home/web:/bin/sh\n");
        File.WriteAllText(Path.Combine(_rootfs, "etc/group"), "root:x:0:\nstaff:x:50:\n");
    }

    public void Dispose() => Directory.Delete(_rootfs, recursive: true);

    [Fact]
    public void TheContainersProcessWithTheExecsCommand()
    {
        JsonNode process = JsonNode.Parse(ExecProcessSpec.Serialize(ExecProcessSpec.Build(Container, new ExecSpec { Args = ["ip", "addr"] }, _rootfs)))!;
        Assert.Equal("""["ip","addr"]""", process["args"]!.ToJsonString());
        Assert.False((bool)process["terminal"]!);

        // Docker's exec env: the container's rules applied with the exec's (absent) terminal: no TERM.
        Assert.Equal("""["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","HOSTNAME=web1","FROM_IMAGE=1","MODE=run"]""", process["env"]!.ToJsonString());
        Assert.Equal("/srv", (string?)process["cwd"]);
        Assert.Equal("""{"uid":2,"gid":3,"additionalGids":[3]}""", process["user"]!.ToJsonString());
        Assert.Equal("""[{"type":"RLIMIT_NOFILE","hard":4096,"soft":4096}]""", process["rlimits"]!.ToJsonString());
        Assert.Equal(14, process["capabilities"]!["bounding"]!.AsArray().Count);
        Assert.Null(process["consoleSize"]);
    }

    [Fact]
    public void TheExecsOwnSettingsWin()
    {
        var exec = new ExecSpec
        {
            Args = ["sh"],
            Env = ["MODE=exec", "EXTRA=1"],
            User = "web:staff",
            WorkingDir = "/tmp",
            Tty = true,
            ConsoleSize = new(40, 120),
        };
        JsonNode process = JsonNode.Parse(ExecProcessSpec.Serialize(ExecProcessSpec.Build(Container, exec, _rootfs)))!;
        Assert.True((bool)process["terminal"]!);
        Assert.Equal("""["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","HOSTNAME=web1","TERM=xterm","FROM_IMAGE=1","MODE=exec","EXTRA=1"]""", process["env"]!.ToJsonString());
        Assert.Equal("/tmp", (string?)process["cwd"]);
        Assert.Equal("""{"uid":1000,"gid":50,"additionalGids":[50]}""", process["user"]!.ToJsonString());
        Assert.Equal("""{"height":40,"width":120}""", process["consoleSize"]!.ToJsonString());
    }

    [Fact]
    public void ATerminalWithoutASizeGetsTheDefault()
    {
        var process = ExecProcessSpec.Build(Container with { User = "" }, new ExecSpec { Args = ["sh"], Tty = true }, _rootfs);
        Assert.Equal(new Runtime.Containers.Oci.OciBox(PseudoTerminal.DefaultRows, PseudoTerminal.DefaultColumns), process.ConsoleSize);
        Assert.Equal((0u, 0u), (process.User.Uid, process.User.Gid));
        Assert.Equal([0u], (process.User.AdditionalGids ?? []).ToArray());
    }

    [Fact]
    public void NoCommandAndUnknownUsersAreRefused()
    {
        Assert.Equal("No exec command specified", Assert.Throws<BerthException>(() => ExecProcessSpec.Build(Container, new ExecSpec { Args = [] }, _rootfs)).Message);
        var unknown = Assert.Throws<BerthException>(() => ExecProcessSpec.Build(Container, new ExecSpec { Args = ["id"], User = "nobody" }, _rootfs));
        Assert.Equal(ErrorKind.InvalidArgument, unknown.Kind);
        Assert.Contains("nobody", unknown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exec failed: unable to start container process: exec: \"nosuch\": executable file not found in $PATH", 127)]
    [InlineData("exec failed: unable to start container process: exec: \"/bin/nope\": stat /bin/nope: no such file or directory", 127)]
    [InlineData("exec failed: unable to start container process: exec: \"/etc/passwd\": permission denied", 126)]
    [InlineData("exec failed: container does not exist", 126)]
    public void StartFailuresGetDockersExitCodes(string error, int code) => Assert.Equal(code, ExecStartFailure.ExitCodeFor(error));

    [Fact]
    public void OnlyAnErrorInRuncsLogIsAFailedStart()
    {
        string log = Path.Combine(_rootfs, "runc.log");
        Assert.Null(ExecStartFailure.ReadRuncError(log));
        File.WriteAllText(log, "{\"level\":\"warning\",\"msg\":\"a warning\",\"time\":\"2026-11-28T01:00:00Z\"}\nnot json\n");
        Assert.Null(ExecStartFailure.ReadRuncError(log));
        File.AppendAllText(log, "{\"level\":\"error\",\"msg\":\"exec failed: boom\",\"time\":\"2026-11-28T01:00:00Z\"}\n");
        Assert.Equal("exec failed: boom", ExecStartFailure.ReadRuncError(log));
    }
}
