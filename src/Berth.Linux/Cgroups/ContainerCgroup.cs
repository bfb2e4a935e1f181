using System.Collections.Immutable;
using System.Globalization;

namespace Berth.Linux.Cgroups;

/// <summary>
/// The cgroup of a container's processes, found from its init's <c>/proc/PID/cgroup</c> (cgroups(7)): on cgroup v2 one
/// directory (<see cref="Unified"/>), on v1 or hybrid hosts one directory per controller. Found while the process
/// lives and kept: the directories stay until the runtime deletes the container, so its last run's files (the OOM
/// kill count) are still readable after the exit.
/// </summary>
public sealed record ContainerCgroup
{
    /// <summary>The v2 directory when the host's controllers are on the unified hierarchy; null on v1 and hybrid hosts.</summary>
    public string? Unified { get; init; }

    /// <summary>cgroup v1: controller name (<c>memory</c>, <c>cpuacct</c>, …) → the container's directory in that hierarchy.</summary>
    public ImmutableDictionary<string, string> Controllers { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The directory holding <paramref name="controller"/>'s files; null when that controller is not mounted.</summary>
    public string? DirectoryOf(string controller) => Unified ?? Controllers.GetValueOrDefault(controller);

    /// <summary>The cgroup of process <paramref name="pid"/>; null when it is gone.</summary>
    public static ContainerCgroup? OfProcess(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cgroup");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }

        return Resolve(text, CgroupMounts.Host);
    }

    /// <summary>
    /// The directories a <c>/proc/PID/cgroup</c> text names (<c>ID:CONTROLLERS:PATH</c> lines; <c>0::PATH</c> is v2)
    /// under <paramref name="mounts"/>. A v1 memory hierarchy makes it a v1 cgroup even when a controller-less v2
    /// hierarchy is mounted too (hybrid hosts).
    /// </summary>
    public static ContainerCgroup Resolve(string procCgroup, IReadOnlyList<CgroupMount> mounts)
    {
        ArgumentNullException.ThrowIfNull(procCgroup);
        ArgumentNullException.ThrowIfNull(mounts);
        var controllers = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        string? unified = null;
        foreach (string line in procCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            if (parts[1].Length == 0)
            {
                unified = mounts.Where(m => m.Unified).Select(m => m.DirectoryOf(parts[2])).FirstOrDefault(d => d is not null);
                continue;
            }

            foreach (string controller in parts[1].Split(','))
            {
                string? directory = mounts.Where(m => !m.Unified && m.Controllers.Contains(controller))
                    .Select(m => m.DirectoryOf(parts[2])).FirstOrDefault(d => d is not null);
                if (directory is not null)
                {
                    controllers[controller] = directory;
                }
            }
        }

        return controllers.ContainsKey(CgroupControllers.Memory) || unified is null
            ? new ContainerCgroup { Controllers = controllers.ToImmutable() }
            : new ContainerCgroup { Unified = unified };
    }

    /// <summary>The processes in the cgroup (<c>cgroup.procs</c>); empty when the cgroup is gone.</summary>
    public IReadOnlySet<int> ProcessIds()
    {
        string? directory = DirectoryOf(CgroupControllers.Pids) ?? DirectoryOf(CgroupControllers.Memory);
        var pids = new HashSet<int>();
        if (directory is null)
        {
            return pids;
        }

        try
        {
            foreach (string line in File.ReadLines(Path.Combine(directory, "cgroup.procs")))
            {
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                {
                    pids.Add(pid);
                }
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            // Removed meanwhile: no processes.
        }

        return pids;
    }

    /// <summary>
    /// How many processes the OOM killer killed in this cgroup: v2 <c>memory.events</c> <c>oom_kill</c>, v1
    /// <c>memory.oom_control</c> <c>oom_kill</c> (kernel 4.13+). 0 when the files are gone or say nothing.
    /// </summary>
    public long OomKills()
    {
        string? directory = DirectoryOf(CgroupControllers.Memory);
        if (directory is null)
        {
            return 0;
        }

        string file = Path.Combine(directory, Unified is null ? "memory.oom_control" : "memory.events");
        try
        {
            foreach (string line in File.ReadLines(file))
            {
                if (line.StartsWith("oom_kill ", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan("oom_kill ".Length), NumberStyles.None, CultureInfo.InvariantCulture, out long kills))
                {
                    return kills;
                }
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            // Removed meanwhile: nothing recorded.
        }

        return 0;
    }
}
