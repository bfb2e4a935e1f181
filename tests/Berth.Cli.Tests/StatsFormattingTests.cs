using System.Text.Json;
using Berth.Cli.Commands.Containers;
using Berth.Cli.Formatting;

namespace Berth.Cli.Tests;

/// <summary>docker stats' numbers and table; expected texts are docker 28.2.2's for the same berthd samples.</summary>
public class StatsFormattingTests
{
    // A berthd sample of a `sleep` under cgroup v1 with a 64 MiB limit (trimmed to what docker reads).
    private const string Sample = """
        {"read":"2026-12-06T19:22:58.0586668Z","pids_stats":{"current":1},
         "blkio_stats":{"io_service_bytes_recursive":[{"major":8,"minor":0,"op":"Read","value":1228800},{"major":8,"minor":0,"op":"write","value":4096},{"major":8,"minor":0,"op":"Total","value":1232896},{"op":"","value":7}]},
         "cpu_stats":{"cpu_usage":{"total_usage":415878671},"system_cpu_usage":29633090000000,"online_cpus":2},
         "precpu_stats":{"cpu_usage":{"total_usage":15878671},"system_cpu_usage":29631090000000,"online_cpus":2},
         "memory_stats":{"usage":266240,"stats":{"cache":16384,"inactive_file":4096,"total_inactive_file":12288},"limit":67108864},
         "name":"/c1","id":"31de857761af5eeca3eb5593d0c446e53a3f70733033b1a0dc10b18d8b85669c",
         "networks":{"eth0":{"rx_bytes":1812,"tx_bytes":726},"eth1":{"rx_bytes":1000000,"tx_bytes":0}}}
        """;

    private static StatsEntry Entry(string json = Sample, string container = "c1")
    {
        using var document = JsonDocument.Parse(json);
        return StatsEntry.FromSample(container, document.RootElement);
    }

    private static string Render(string format, bool truncate, params StatsEntry[] entries)
    {
        var template = ListFormat.Parse(format == ListFormat.TableKey ? StatsCommand.DefaultTableFormat : format, out var isTable);
        return ListFormat.Render(entries.Select(e => new StatsRow(e, truncate)), template, isTable, StatsRow.Header);
    }

    [Fact]
    public void CpuIsTheContainersShareOfTheMachineTimesItsCpus()
    {
        // 400 ms of the container's CPU in 2 s of the machine's (both CPUs counted), times 2 CPUs: 40%.
        var entry = Entry();
        Assert.Equal(40.0, entry.CpuPercentage, 6);
        Assert.Equal("40.00%", StatsRow.Percentage(entry.CpuPercentage));
    }

    [Theory]
    [InlineData("""{"cpu_stats":{"cpu_usage":{"total_usage":5},"system_cpu_usage":10,"online_cpus":1},"precpu_stats":{"cpu_usage":{"total_usage":5},"system_cpu_usage":5}}""", 0.0)]
    [InlineData("""{"cpu_stats":{"cpu_usage":{"total_usage":6},"system_cpu_usage":5,"online_cpus":1},"precpu_stats":{"cpu_usage":{"total_usage":5},"system_cpu_usage":5}}""", 0.0)]
    [InlineData("""{"cpu_stats":{"cpu_usage":{"total_usage":30,"percpu_usage":[1,2,3,4]},"system_cpu_usage":200},"precpu_stats":{"cpu_usage":{"total_usage":10},"system_cpu_usage":100}}""", 80.0)]
    public void CpuNeedsBothDeltasAndFallsBackToThePerCpuCount(string json, double expected) =>
        Assert.Equal(expected, Entry(json).CpuPercentage, 6);

    [Fact]
    public void MemoryLeavesOutInactiveFileCachePreferringCgroupV1sTotal()
    {
        Assert.Equal(266240 - 12288, Entry().Memory);
        Assert.Equal(100 - 4, Entry("""{"memory_stats":{"usage":100,"stats":{"inactive_file":4}}}""").Memory);
        Assert.Equal(100, Entry("""{"memory_stats":{"usage":100,"stats":{"inactive_file":400}}}""").Memory);
        Assert.Equal(100 - 4, Entry("""{"memory_stats":{"usage":100,"stats":{"total_inactive_file":400,"inactive_file":4}}}""").Memory);
    }

    [Fact]
    public void BlockIoCountsReadsAndWritesByTheOperationsFirstLetter() =>
        Assert.Equal((1228800.0, 4096.0), (Entry().BlockRead, Entry().BlockWrite));

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(648, "648B")]
    [InlineData(1023, "1023B")]
    [InlineData(1024, "1KiB")]
    [InlineData(253952, "248KiB")]
    [InlineData(1258291.2, "1.2MiB")]
    [InlineData(8191057920, "7.629GiB")]
    [InlineData(67108864, "64MiB")]
    public void MemoryUsesBinaryUnitsWithFourDigits(double bytes, string expected) => Assert.Equal(expected, GoUnits.BytesSize(bytes));

    [Fact]
    public void DefaultTableMatchesDocker() => Assert.Equal(
        "CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O      BLOCK I/O        PIDS\n" +
        "31de857761af   c1        40.00%    248KiB / 64MiB      0.38%     1MB / 726B   1.23MB / 4.1kB   1\n" +
        "0804781dbf92   stopped   0.00%     0B / 0B             0.00%     0B / 0B      0B / 0B          0\n",
        Render(ListFormat.TableKey, truncate: true, Entry(), Entry("""{"name":"/stopped","id":"0804781dbf92aaaa"}""", "stopped")));

    [Fact]
    public void InvalidEntriesShowDashesAndANamelessOneToo() => Assert.Equal(
        "CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O   BLOCK I/O   PIDS\n" +
        "               --        --        -- / --             --        --        --          --\n",
        Render(ListFormat.TableKey, truncate: true, new StatsEntry("gone", IsInvalid: true)));

    [Fact]
    public void FormatFieldsJsonAndNoTrunc()
    {
        Assert.Equal(
            "{\"BlockIO\":\"1.23MB / 4.1kB\",\"CPUPerc\":\"40.00%\",\"Container\":\"c1\",\"ID\":\"31de857761af\",\"MemPerc\":\"0.38%\",\"MemUsage\":\"248KiB / 64MiB\",\"Name\":\"c1\",\"NetIO\":\"1MB / 726B\",\"PIDs\":\"1\"}\n",
            Render("json", truncate: true, Entry()));
        Assert.Equal(
            "c1 c1 31de857761af5eeca3eb5593d0c446e53a3f70733033b1a0dc10b18d8b85669c 1\n",
            Render("{{.Container}} {{.Name}} {{.ID}} {{.PIDs}}", truncate: false, Entry()));
        Assert.Equal("CONTAINER   PIDS\nc1          1\n", Render("table {{.Container}}\t{{.PIDs}}", truncate: true, Entry()));
    }

    [Fact]
    public void StreamingFramesRedrawInPlace() => Assert.Equal(
        "\u001b[HA   B\u001b[K\n1   2\u001b[K\n\u001b[K\n\u001b[J",
        StatsCommand.Frame("A   B\n1   2\n"));
}
