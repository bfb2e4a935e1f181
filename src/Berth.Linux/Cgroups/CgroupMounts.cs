using System.Collections.Immutable;

namespace Berth.Linux.Cgroups;

/// <summary>The cgroup hierarchies mounted on this host (proc(5) <c>/proc/PID/mountinfo</c>), read once: they do not move under a running daemon.</summary>
public static class CgroupMounts
{
    private const string MountInfoPath = "/proc/self/mountinfo";

    private static readonly Lazy<ImmutableArray<CgroupMount>> HostMounts = new(() => Parse(File.ReadAllText(MountInfoPath)));

    /// <summary>berthd's view of the host's cgroup mounts.</summary>
    public static ImmutableArray<CgroupMount> Host => HostMounts.Value;

    /// <summary>
    /// The cgroup and cgroup2 mounts of a mountinfo text. A line is <c>ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS
    /// [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS</c>; spaces in paths come escaped as <c>\040</c>.
    /// </summary>
    public static ImmutableArray<CgroupMount> Parse(string mountInfo)
    {
        ArgumentNullException.ThrowIfNull(mountInfo);
        var mounts = ImmutableArray.CreateBuilder<CgroupMount>();
        foreach (string line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(' ');
            int separator = Array.IndexOf(fields, "-");
            if (separator < 5 || fields.Length < separator + 3)
            {
                continue;
            }

            string type = fields[separator + 1];
            if (type is not ("cgroup" or "cgroup2"))
            {
                continue;
            }

            string superOptions = fields.Length > separator + 3 ? fields[separator + 3] : "";
            ImmutableArray<string> controllers = type == "cgroup2"
                ? []
                : [.. superOptions.Split(',').Where(o => o is not ("rw" or "ro") && !o.Contains('=', StringComparison.Ordinal)
                    && !o.StartsWith("no", StringComparison.Ordinal) && o is not ("xattr" or "clone_children" or "cpuset_v2_mode"))];
            mounts.Add(new CgroupMount(Unescape(fields[4]), Unescape(fields[3]), type == "cgroup2", controllers));
        }

        return mounts.ToImmutable();
    }

    private static string Unescape(string field) => field.Replace("\\040", " ", StringComparison.Ordinal);
}
