using System.Text.Json;
using Berth.Cli.Client;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// <c>berth update</c>: <c>POST /containers/{c}/update</c> with docker's <c>UpdateConfig</c> (every resource key, Go's order and
/// zero values, <c>PidsLimit</c> null unless given, an empty restart policy meaning "unchanged") for each container; prints
/// each name, then the daemon's warnings on stdout as docker does, then the errors.
/// </summary>
public sealed class UpdateCommand(string path) : ContainerCommand(path)
{
    private static readonly FlagSpec BlkioWeight = new("blkio-weight", null, "uint16", "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)");
    private static readonly FlagSpec CpuPeriod = new("cpu-period", null, "int", "Limit CPU CFS (Completely Fair Scheduler) period");
    private static readonly FlagSpec CpuQuota = new("cpu-quota", null, "int", "Limit CPU CFS (Completely Fair Scheduler) quota");
    private static readonly FlagSpec CpuRtPeriod = new("cpu-rt-period", null, "int", "Limit the CPU real-time period in microseconds");
    private static readonly FlagSpec CpuRtRuntime = new("cpu-rt-runtime", null, "int", "Limit the CPU real-time runtime in microseconds");
    private static readonly FlagSpec CpuShares = new("cpu-shares", 'c', "int", "CPU shares (relative weight)");
    private static readonly FlagSpec Cpus = new("cpus", null, "decimal", "Number of CPUs");
    private static readonly FlagSpec Memory = new("memory", 'm', "bytes", "Memory limit");
    private static readonly FlagSpec MemoryReservation = new("memory-reservation", null, "bytes", "Memory soft limit");
    private static readonly FlagSpec MemorySwap = new("memory-swap", null, "bytes", "Swap limit equal to memory plus swap: -1 to enable unlimited swap");
    private static readonly FlagSpec PidsLimit = new("pids-limit", null, "int", "Tune container pids limit (set -1 for unlimited)");

    public override string Arguments => "[OPTIONS] CONTAINER [CONTAINER...]";

    public override string Description => "Update configuration of one or more containers";

    public override IReadOnlyList<string> Aliases => ["berth container update", "berth update"];

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        BlkioWeight, CpuPeriod, CpuQuota, CpuRtPeriod, CpuRtRuntime, CpuShares, Cpus,
        new("cpuset-cpus", null, "string", "CPUs in which to allow execution (0-3, 0,1)"),
        new("cpuset-mems", null, "string", "MEMs in which to allow execution (0-3, 0,1)"),
        Memory, MemoryReservation, MemorySwap, PidsLimit,
        new("restart", null, "string", "Restart policy to apply when a container exits"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var body = Body(args, Path, Usage);
        var warnings = new List<string>();
        var errors = new List<string>();
        foreach (var name in args.Positionals)
        {
            try
            {
                var response = await context.Client.SendAsync(HttpMethod.Post, ContainerPath(name, "/update"), body, cancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync(name).ConfigureAwait(false);
                warnings.AddRange(Warnings(response.Body));
            }
            catch (DaemonErrorException e)
            {
                errors.Add("Error response from daemon: " + e.Message);
            }
        }

        if (warnings.Count > 0)
        {
            await context.Out.WriteLineAsync(string.Join('\n', warnings)).ConfigureAwait(false);
        }

        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        foreach (var error in errors)
        {
            await context.Err.WriteLineAsync(error).ConfigureAwait(false);
        }

        return errors.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>
    /// docker's <c>container.UpdateConfig</c> as Go marshals it: <c>Resources</c> inline (nil slices and pointers as null,
    /// <c>KernelMemory</c> omitted when 0), then <c>RestartPolicy</c>. Flags are checked first: no flag at all is an error.
    /// </summary>
    public static byte[] Body(ParsedArgs args, string path, string usage)
    {
        // pflag parses every value before the command runs (exit 125), so these come before the other checks.
        var shares = TypedFlags.Int64(args, CpuShares, path, usage);
        var memory = TypedFlags.Bytes(args, Memory, path, usage);
        var nanoCpus = TypedFlags.NanoCpus(args, Cpus, path, usage);
        var blkioWeight = TypedFlags.Int64(args, BlkioWeight, path, usage, 0, ushort.MaxValue);
        var period = TypedFlags.Int64(args, CpuPeriod, path, usage);
        var quota = TypedFlags.Int64(args, CpuQuota, path, usage);
        var rtPeriod = TypedFlags.Int64(args, CpuRtPeriod, path, usage);
        var rtRuntime = TypedFlags.Int64(args, CpuRtRuntime, path, usage);
        var reservation = TypedFlags.Bytes(args, MemoryReservation, path, usage);
        var swap = TypedFlags.SwapBytes(args, MemorySwap, path, usage);
        var pids = TypedFlags.Int64(args, PidsLimit, path, usage);
        if (!HasAnyFlag(args))
        {
            throw new ArgumentException("you must provide one or more flags when using this command");
        }

        var (restartName, restartCount) = args.Last("restart") is { Length: > 0 } restart ? ContainerCreateOptions.ParseRestart(restart) : ("", 0);
        var json = new GoJsonWriter().BeginObject()
            .Name("CpuShares").Number(shares).Name("Memory").Number(memory).Name("NanoCpus").Number(nanoCpus)
            .Name("CgroupParent").String("").Name("BlkioWeight").Number(blkioWeight);
        foreach (var name in (string[])["BlkioWeightDevice", "BlkioDeviceReadBps", "BlkioDeviceWriteBps", "BlkioDeviceReadIOps", "BlkioDeviceWriteIOps"])
        {
            json.Name(name).Null();
        }

        json.Name("CpuPeriod").Number(period).Name("CpuQuota").Number(quota)
            .Name("CpuRealtimePeriod").Number(rtPeriod).Name("CpuRealtimeRuntime").Number(rtRuntime)
            .Name("CpusetCpus").String(args.Last("cpuset-cpus") ?? "").Name("CpusetMems").String(args.Last("cpuset-mems") ?? "")
            .Name("Devices").Null().Name("DeviceCgroupRules").Null().Name("DeviceRequests").Null()
            .Name("MemoryReservation").Number(reservation).Name("MemorySwap").Number(swap)
            .Name("MemorySwappiness").Null().Name("OomKillDisable").Null().Name("PidsLimit");
        if (pids == 0)
        {
            json.Null(); // nil: "leave the limit as it is"
        }
        else
        {
            json.Number(pids);
        }

        json.Name("Ulimits").Null();
        foreach (var name in (string[])["CpuCount", "CpuPercent", "IOMaximumIOps", "IOMaximumBandwidth"])
        {
            json.Name(name).Number(0);
        }

        return json.Name("RestartPolicy").BeginObject().Name("Name").String(restartName).Name("MaximumRetryCount").Number(restartCount).EndObject()
            .EndObject().ToUtf8();
    }

    /// <summary>cobra's <c>NFlag</c>: any flag given, even with its zero value, counts.</summary>
    private static bool HasAnyFlag(ParsedArgs args) =>
        new[] { "blkio-weight", "cpu-period", "cpu-quota", "cpu-rt-period", "cpu-rt-runtime", "cpu-shares", "cpus", "cpuset-cpus", "cpuset-mems", "memory", "memory-reservation", "memory-swap", "pids-limit", "restart" }
            .Any(args.Has);

    private static List<string> Warnings(byte[] body)
    {
        if (body.Length == 0)
        {
            return [];
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("Warnings", out var warnings) && warnings.ValueKind == JsonValueKind.Array
            ? [.. warnings.EnumerateArray().Select(w => w.GetString() ?? "")]
            : [];
    }
}
