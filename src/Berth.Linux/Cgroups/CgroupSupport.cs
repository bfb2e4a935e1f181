namespace Berth.Linux.Cgroups;

/// <summary>
/// Which optional limits the host's cgroups can enforce, as moby's <c>pkg/sysinfo</c> finds out: by the controller
/// files that exist (v1: in each hierarchy's root; v2: the root's <c>cgroup.controllers</c>). A limit the host lacks
/// is discarded at create with Docker's warning, never silently.
/// </summary>
public sealed record CgroupSupport
{
    private static readonly Lazy<CgroupSupport> HostSupport = new(Detect);

    /// <summary>The host berthd runs on.</summary>
    public static CgroupSupport Host => HostSupport.Value;

    /// <summary>Everything supported (unit tests).</summary>
    public static readonly CgroupSupport All = new()
    {
        BlkioWeight = true, BlkioWeightDevice = true, BlkioReadBps = true, BlkioWriteBps = true, BlkioReadIOps = true, BlkioWriteIOps = true, MemorySwappiness = true,
    };

    public bool BlkioWeight { get; init; }

    public bool BlkioWeightDevice { get; init; }

    public bool BlkioReadBps { get; init; }

    public bool BlkioWriteBps { get; init; }

    public bool BlkioReadIOps { get; init; }

    public bool BlkioWriteIOps { get; init; }

    /// <summary>v1 <c>memory.swappiness</c>; cgroup v2 has no such knob.</summary>
    public bool MemorySwappiness { get; init; }

    private static CgroupSupport Detect()
    {
        var mounts = CgroupMounts.Host;
        var memory = mounts.FirstOrDefault(m => !m.Unified && m.Controllers.Contains(CgroupControllers.Memory));
        if (memory is null && mounts.FirstOrDefault(m => m.Unified) is { } unified)
        {
            // moby's v2 sysinfo: the io controller gives weight (io.weight, or BFQ's) and every throttle.
            string controllers = ReadOrEmpty(Path.Combine(unified.MountPoint, "cgroup.controllers"));
            bool io = controllers.Split(' ', StringSplitOptions.TrimEntries).Contains("io");
            return new CgroupSupport
            {
                BlkioWeight = io, BlkioWeightDevice = io, BlkioReadBps = io, BlkioWriteBps = io, BlkioReadIOps = io, BlkioWriteIOps = io,
            };
        }

        string? blkio = mounts.FirstOrDefault(m => !m.Unified && m.Controllers.Contains(CgroupControllers.Blkio))?.MountPoint;
        bool Has(string? directory, string file) => directory is not null && (File.Exists(Path.Combine(directory, file)));
        return new CgroupSupport
        {
            BlkioWeight = Has(blkio, "blkio.weight") || Has(blkio, "blkio.bfq.weight"),
            BlkioWeightDevice = Has(blkio, "blkio.weight_device") || Has(blkio, "blkio.bfq.weight_device"),
            BlkioReadBps = Has(blkio, "blkio.throttle.read_bps_device"),
            BlkioWriteBps = Has(blkio, "blkio.throttle.write_bps_device"),
            BlkioReadIOps = Has(blkio, "blkio.throttle.read_iops_device"),
            BlkioWriteIOps = Has(blkio, "blkio.throttle.write_iops_device"),
            MemorySwappiness = Has(memory?.MountPoint, "memory.swappiness"),
        };
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
