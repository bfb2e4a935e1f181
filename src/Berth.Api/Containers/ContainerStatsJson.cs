using System.Collections.Immutable;
using System.Text.Json;
using Berth.Api.Http;
using Berth.Linux.Cgroups;
using Berth.Runtime.Engine;

namespace Berth.Api.Containers;

/// <summary>
/// Docker's stats JSON (moby api/types/container/stats.go, <c>StatsResponse</c>) written straight from a sample with a
/// <see cref="Utf8JsonWriter"/>: no object graph per sample. Go's rules are kept: <c>omitempty</c> numbers left out
/// when zero, empty blkio lists <c>null</c>, a zero time <c>0001-01-01T00:00:00Z</c>.
/// </summary>
internal static class ContainerStatsJson
{
    private const string ZeroTime = "0001-01-01T00:00:00Z";

    /// <summary>v1's blkio lists Docker has and the kernel no longer fills (CFQ): always null.</summary>
    private static readonly string[] AlwaysNullBlkio =
        ["io_queue_recursive", "io_service_time_recursive", "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive", "sectors_recursive"];

    /// <summary>Writes <paramref name="sample"/>, with <paramref name="previous"/>'s CPU as precpu (null: zero precpu, as the first of a stream).</summary>
    public static void Write(Utf8JsonWriter writer, ContainerStatsSample sample, ContainerStatsSample? previous)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(sample);
        var cgroup = sample.Cgroup;
        writer.WriteStartObject();
        writer.WriteString("read"u8, sample.Cgroup is null ? ZeroTime : Rfc3339.FormatNano(sample.Read));
        writer.WriteString("preread"u8, previous?.Cgroup is null ? ZeroTime : Rfc3339.FormatNano(previous.Read));

        writer.WriteStartObject("pids_stats"u8);
        Omitting(writer, "current"u8, cgroup?.PidsCurrent ?? 0);
        Omitting(writer, "limit"u8, cgroup?.PidsLimit ?? 0);
        writer.WriteEndObject();

        writer.WriteStartObject("blkio_stats"u8);
        Blkio(writer, "io_service_bytes_recursive", cgroup?.IoServiceBytes ?? []);
        Blkio(writer, "io_serviced_recursive", cgroup?.IoServiced ?? []);
        foreach (string name in AlwaysNullBlkio)
        {
            writer.WriteNull(name);
        }

        writer.WriteEndObject();
        writer.WriteNumber("num_procs"u8, 0);
        writer.WriteStartObject("storage_stats"u8);
        writer.WriteEndObject();
        Cpu(writer, "cpu_stats"u8, sample);
        Cpu(writer, "precpu_stats"u8, previous);

        writer.WriteStartObject("memory_stats"u8);
        if (cgroup is not null)
        {
            Omitting(writer, "usage"u8, cgroup.MemoryUsage);
            Omitting(writer, "max_usage"u8, cgroup.MemoryMaxUsage);
            if (!cgroup.MemoryStat.IsDefaultOrEmpty)
            {
                writer.WriteStartObject("stats"u8);
                foreach (var (key, value) in cgroup.MemoryStat)
                {
                    writer.WriteNumber(key, value);
                }

                writer.WriteEndObject();
            }

            Omitting(writer, "failcnt"u8, cgroup.MemoryFailcnt);
            Omitting(writer, "limit"u8, sample.MemoryLimit);
        }

        writer.WriteEndObject();
        writer.WriteString("name"u8, "/" + sample.Name);
        writer.WriteString("id"u8, sample.Id);
        if (!sample.Networks.IsDefaultOrEmpty)
        {
            writer.WriteStartObject("networks"u8);
            foreach (var link in sample.Networks)
            {
                writer.WriteStartObject(link.Name);
                writer.WriteNumber("rx_bytes"u8, link.RxBytes);
                writer.WriteNumber("rx_packets"u8, link.RxPackets);
                writer.WriteNumber("rx_errors"u8, link.RxErrors);
                writer.WriteNumber("rx_dropped"u8, link.RxDropped);
                writer.WriteNumber("tx_bytes"u8, link.TxBytes);
                writer.WriteNumber("tx_packets"u8, link.TxPackets);
                writer.WriteNumber("tx_errors"u8, link.TxErrors);
                writer.WriteNumber("tx_dropped"u8, link.TxDropped);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void Cpu(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ContainerStatsSample? sample)
    {
        var cgroup = sample?.Cgroup;
        writer.WriteStartObject(name);
        writer.WriteStartObject("cpu_usage"u8);
        writer.WriteNumber("total_usage"u8, cgroup?.CpuTotalNanos ?? 0);
        writer.WriteNumber("usage_in_kernelmode"u8, cgroup?.CpuSystemNanos ?? 0);
        writer.WriteNumber("usage_in_usermode"u8, cgroup?.CpuUserNanos ?? 0);
        writer.WriteEndObject();
        Omitting(writer, "system_cpu_usage"u8, cgroup is null ? 0 : sample!.SystemCpuNanos);
        Omitting(writer, "online_cpus"u8, cgroup is null ? 0 : sample!.OnlineCpus);
        writer.WriteStartObject("throttling_data"u8);
        writer.WriteNumber("periods"u8, cgroup?.ThrottlingPeriods ?? 0);
        writer.WriteNumber("throttled_periods"u8, cgroup?.ThrottledPeriods ?? 0);
        writer.WriteNumber("throttled_time"u8, cgroup?.ThrottledNanos ?? 0);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void Blkio(Utf8JsonWriter writer, string name, ImmutableArray<BlkioEntry> entries)
    {
        if (entries.IsDefaultOrEmpty)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartArray(name);
        foreach (var entry in entries)
        {
            writer.WriteStartObject();
            writer.WriteNumber("major"u8, entry.Major);
            writer.WriteNumber("minor"u8, entry.Minor);
            writer.WriteString("op"u8, entry.Op);
            writer.WriteNumber("value"u8, entry.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Go's <c>omitempty</c> on a number: left out when zero.</summary>
    private static void Omitting(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ulong value)
    {
        if (value != 0)
        {
            writer.WriteNumber(name, value);
        }
    }
}
