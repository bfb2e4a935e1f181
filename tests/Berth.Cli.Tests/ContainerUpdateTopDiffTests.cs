using System.Text;
using Berth.Cli.Commands.Containers;
using Berth.Cli.Parsing;

namespace Berth.Cli.Tests;

/// <summary>update's units and body, commit's query, top's and diff's tables: docker 28.2.2's for the same input.</summary>
public class ContainerUpdateTopDiffTests
{
    private static ParsedArgs Update(params string[] args) =>
        ArgParser.Parse(args, new UpdateCommand("berth update").Flags, "berth update", "berth update [OPTIONS] CONTAINER [CONTAINER...]");

    private static string Body(params string[] args) => Encoding.UTF8.GetString(UpdateCommand.Body(Update(args), "berth update", "usage"));

    [Theory]
    [InlineData("64m", 64L << 20)]
    [InlineData("1.5g", 3L << 29)]
    [InlineData("512KiB", 512L << 10)]
    [InlineData("10MB", 10L << 20)]
    [InlineData("100", 100)]
    [InlineData("100b", 100)]
    [InlineData("2 k", 2048)]
    public void SizesAreGoUnitsRamInBytes(string text, long expected)
    {
        Assert.True(TypedFlags.TryParseRamInBytes(text, out var bytes, out var error), error);
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("64x", "invalid suffix: 'x'")]
    [InlineData("64mbx", "invalid suffix: 'mbx'")]
    [InlineData("abc", "invalid size: 'abc'")]
    [InlineData("-1", "invalid size: '-1'")]
    public void BadSizesSayWhatDockerSays(string text, string expected)
    {
        Assert.False(TypedFlags.TryParseRamInBytes(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void BodyIsDockersUpdateConfig() => Assert.Equal(
        """{"CpuShares":512,"Memory":67108864,"NanoCpus":1500000000,"CgroupParent":"","BlkioWeight":300,"BlkioWeightDevice":null,"BlkioDeviceReadBps":null,"BlkioDeviceWriteBps":null,"BlkioDeviceReadIOps":null,"BlkioDeviceWriteIOps":null,"CpuPeriod":0,"CpuQuota":0,"CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"0","CpusetMems":"","Devices":null,"DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,"MemorySwap":-1,"MemorySwappiness":null,"OomKillDisable":null,"PidsLimit":50,"Ulimits":null,"CpuCount":0,"CpuPercent":0,"IOMaximumIOps":0,"IOMaximumBandwidth":0,"RestartPolicy":{"Name":"on-failure","MaximumRetryCount":3}}""",
        Body("-c", "512", "-m", "64m", "--cpus", "3/2", "--blkio-weight", "300", "--cpuset-cpus", "0", "--memory-swap", "-1", "--pids-limit", "50", "--restart", "on-failure:3", "c1"));

    [Fact]
    public void OnlyGivenFieldsAreSetAndPidsLimitStaysNull()
    {
        var body = Body("--restart", "always", "c1");
        Assert.Contains("\"PidsLimit\":null", body, StringComparison.Ordinal);
        Assert.Contains("\"Memory\":0,", body, StringComparison.Ordinal);
        Assert.EndsWith("\"RestartPolicy\":{\"Name\":\"always\",\"MaximumRetryCount\":0}}", body, StringComparison.Ordinal);
        Assert.Contains("\"NanoCpus\":500000000,", Body("--cpus", "0.5", "c1"), StringComparison.Ordinal);
    }

    [Fact]
    public void FlagErrorsComeFirstThenMissingFlags()
    {
        var flag = Assert.Throws<UsageException>(() => Body("--cpus", "abc", "--restart", "bogus", "c1"));
        Assert.Equal(("invalid argument \"abc\" for \"--cpus\" flag: failed to parse abc as a rational number", 125), (flag.Message, flag.ExitCode));
        Assert.Equal("invalid argument \"0.0000000001\" for \"--cpus\" flag: value is too precise", Assert.Throws<UsageException>(() => Body("--cpus", "0.0000000001", "c1")).Message);
        Assert.Equal("invalid argument \"70000\" for \"--blkio-weight\" flag: strconv.ParseUint: parsing \"70000\": value out of range", Assert.Throws<UsageException>(() => Body("--blkio-weight", "70000", "c1")).Message);
        Assert.Equal("invalid argument \"x\" for \"-m, --memory\" flag: invalid size: 'x'", Assert.Throws<UsageException>(() => Body("-m", "x", "c1")).Message);
        Assert.Equal("you must provide one or more flags when using this command", Assert.Throws<ArgumentException>(() => Body("c1")).Message);
    }

    private static string CommitQuery(params string[] args) =>
        CommitCommand.Query(ArgParser.Parse(args, new CommitCommand("berth commit").Flags, "berth commit", "usage", interspersed: false));

    [Fact]
    public void CommitQueryIsDockersClients()
    {
        Assert.Equal(
            "?author=me%20%3Cme%40x%3E&changes=CMD%20%5B%22true%22%5D&changes=ENV%20A%3D1&comment=msg&container=c1&repo=docker.io%2Flibrary%2Fmine&tag=v1",
            CommitQuery("-a", "me <me@x>", "-c", "CMD [\"true\"]", "-c", "ENV A=1", "-m", "msg", "c1", "mine:v1"));
        Assert.Equal("?author=&comment=&container=c1&pause=0&repo=localhost%3A5000%2Fa%2Fb&tag=latest", CommitQuery("--pause=false", "c1", "localhost:5000/a/b"));
        Assert.Equal("?author=&comment=&container=c1&repo=&tag=", CommitQuery("c1"));
        Assert.Equal("refusing to create a tag with a digest reference", Assert.Throws<ArgumentException>(() => CommitQuery("c1", "x@sha256:" + new string('a', 64))).Message);
        Assert.Equal("invalid reference format: repository name (library/BAD) must be lowercase", Assert.Throws<ArgumentException>(() => CommitQuery("c1", "BAD")).Message);
    }

    [Fact]
    public void TopPadsColumnsToTwentyAsDocker() => Assert.Equal(
        "UID                 PID                 PPID                C                   STIME               TTY                 TIME                CMD\n" +
        "root                27761               27742               0                   19:22               ?                   00:00:00            sleep 1000\n",
        TopCommand.Render("""{"Titles":["UID","PID","PPID","C","STIME","TTY","TIME","CMD"],"Processes":[["root","27761","27742","0","19:22","?","00:00:00","sleep 1000"]]}"""u8.ToArray()));

    [Fact]
    public void TopWidensAColumnForALongCell() => Assert.Equal(
        "USER" + new string(' ', 25) + "PID\n" +
        "a-very-long-user-name-here   1\n",
        TopCommand.Render("""{"Titles":["USER","PID"],"Processes":[["a-very-long-user-name-here","1"]]}"""u8.ToArray()));

    [Fact]
    public void DiffPrintsKindAndPath() => Assert.Equal(
        "C /bin\nD /bin/zcat\nA /tmp/x\n",
        DiffCommand.Render("""[{"Path":"/bin","Kind":0},{"Path":"/bin/zcat","Kind":2},{"Path":"/tmp/x","Kind":1}]"""u8.ToArray()));
}
