using System.Text.Json;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// One container's numbers as <c>docker stats</c> derives them from a sample of <c>GET /containers/{id}/stats</c> (docker/cli
/// <c>stats_helpers.go</c>): CPU % from the deltas against <c>precpu_stats</c>, memory without the inactive page cache, block
/// I/O summed by direction, network summed over interfaces. <see cref="IsInvalid"/> when the stream failed: shown as <c>--</c>.
/// </summary>
public sealed record StatsEntry(
    string Container,
    string Name = "",
    string Id = "",
    double CpuPercentage = 0,
    double Memory = 0,
    double MemoryLimit = 0,
    double MemoryPercentage = 0,
    double NetworkRx = 0,
    double NetworkTx = 0,
    double BlockRead = 0,
    double BlockWrite = 0,
    ulong PidsCurrent = 0,
    bool IsInvalid = false)
{
    private const double Percent = 100.0;

    /// <summary>The entry for one sample; <paramref name="container"/> is what the user named (or the short id when listing).</summary>
    public static StatsEntry FromSample(string container, JsonElement sample)
    {
        var memory = Object(sample, "memory_stats");
        var usedMemory = MemoryUsageWithoutCache(memory);
        var limit = (double)ULong(memory, "limit");
        var (read, write) = BlockIo(Object(sample, "blkio_stats"));
        var (rx, tx) = Network(Object(sample, "networks"));
        return new StatsEntry(
            container,
            Str(sample, "name"),
            Str(sample, "id"),
            CpuPercent(Object(sample, "cpu_stats"), Object(sample, "precpu_stats")),
            usedMemory,
            limit,
            limit != 0 ? usedMemory / limit * Percent : 0,
            rx,
            tx,
            read,
            write,
            ULong(Object(sample, "pids_stats"), "current"));
    }

    /// <summary>
    /// docker's <c>calculateCPUPercentUnix</c>: the container's share of the whole machine's time between the two samples, times
    /// the CPUs online (so one busy CPU of four is 100%); 0 unless both deltas are positive.
    /// </summary>
    public static double CpuPercent(JsonElement? cpu, JsonElement? previous)
    {
        var cpuDelta = (double)ULong(Object(cpu, "cpu_usage"), "total_usage") - ULong(Object(previous, "cpu_usage"), "total_usage");
        var systemDelta = (double)ULong(cpu, "system_cpu_usage") - ULong(previous, "system_cpu_usage");
        double onlineCpus = ULong(cpu, "online_cpus");
        if (onlineCpus == 0 && Object(cpu, "cpu_usage") is { } usage && usage.TryGetProperty("percpu_usage", out var perCpu) && perCpu.ValueKind == JsonValueKind.Array)
        {
            onlineCpus = perCpu.GetArrayLength();
        }

        return systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * onlineCpus * Percent : 0;
    }

    /// <summary>
    /// docker's <c>calculateMemUsageUnixNoCache</c>: usage minus <c>total_inactive_file</c> on cgroup v1, else minus
    /// <c>inactive_file</c> (v2), when that is below the usage.
    /// </summary>
    public static double MemoryUsageWithoutCache(JsonElement? memory)
    {
        var usage = ULong(memory, "usage");
        var stats = Object(memory, "stats");
        if (stats?.TryGetProperty("total_inactive_file", out _) == true && ULong(stats, "total_inactive_file") is var v1 && v1 < usage)
        {
            return usage - v1;
        }

        var v2 = ULong(stats, "inactive_file");
        return v2 < usage ? usage - v2 : usage;
    }

    /// <summary>docker's <c>calculateBlockIO</c>: bytes whose <c>op</c> starts with r/R are reads, w/W writes.</summary>
    public static (double Read, double Write) BlockIo(JsonElement? blkio)
    {
        ulong read = 0, write = 0;
        if (blkio is { } stats && stats.TryGetProperty("io_service_bytes_recursive", out var entries) && entries.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in entries.EnumerateArray())
            {
                var op = Str(entry, "op");
                if (op.Length == 0)
                {
                    continue;
                }

                switch (op[0])
                {
                    case 'r' or 'R':
                        read += ULong(entry, "value");
                        break;
                    case 'w' or 'W':
                        write += ULong(entry, "value");
                        break;
                }
            }
        }

        return (read, write);
    }

    private static (double Rx, double Tx) Network(JsonElement? networks)
    {
        double rx = 0, tx = 0;
        if (networks is { ValueKind: JsonValueKind.Object } all)
        {
            foreach (var network in all.EnumerateObject())
            {
                rx += ULong(network.Value, "rx_bytes");
                tx += ULong(network.Value, "tx_bytes");
            }
        }

        return (rx, tx);
    }

    private static JsonElement? Object(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static ulong ULong(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var number)
            ? number : 0;

    private static string Str(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
