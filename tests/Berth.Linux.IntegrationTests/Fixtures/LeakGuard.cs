namespace Berth.Linux.IntegrationTests.Fixtures;

/// <summary>
/// Snapshots what of Berth's exists on the machine and later reports anything new: namespaces with
/// "berth" in their name (<c>ip netns list</c>), links in the root namespace, nft tables with "berth"
/// in their name in the root namespace, nsfs mounts under /run/berth*, etcd processes whose data lives under
/// a test root (a swarm manager's member that outlived its berthd). Labs of other processes
/// (other test runs on this machine) are ignored; this process's own are not.
/// </summary>
public sealed class LeakGuard
{
    /// <summary>Test and product namespace directories all start with this (/run/berth/, /run/berth-test-*).</summary>
    public const string MountPrefix = "/run/berth";

    private readonly HashSet<string> netns;
    private readonly HashSet<string> rootLinks;
    private readonly HashSet<string> nftTables;
    private readonly HashSet<string> nsfsMounts;
    private readonly HashSet<string> productDirectories;
    private readonly HashSet<string> etcdProcesses;

    /// <summary>Where a berthd with default flags keeps its state: tests must always pass their own.</summary>
    private static readonly string[] ProductDirectories = ["/run/berth", "/var/lib/berth", "/var/log/berth"];

    private LeakGuard()
    {
        netns = BerthNetns();
        rootLinks = ListRootLinks();
        nftTables = ListBerthNftTables();
        nsfsMounts = ListNsfsMounts();
        productDirectories = ExistingProductDirectories();
        etcdProcesses = EtcdProcessesUnderTestRoots();
    }

    public static LeakGuard Snapshot() => new();

    /// <summary>Everything new since the snapshot, one line each; empty when nothing leaked.</summary>
    public IReadOnlyList<string> FindLeaks()
    {
        var leaks = new List<string>();
        leaks.AddRange(BerthNetns().Except(netns).Where(IsOurs).Order().Select(n => $"network namespace \"{n}\" (ip netns list)"));
        leaks.AddRange(ListRootLinks().Except(rootLinks).Order().Select(l => $"link \"{l}\" in the root network namespace"));
        leaks.AddRange(ListBerthNftTables().Except(nftTables).Order().Select(t => $"nftables \"{t}\" in the root network namespace"));
        leaks.AddRange(ListNsfsMounts().Except(nsfsMounts).Where(IsOurMount).Order().Select(m => $"nsfs mount on {m}"));
        leaks.AddRange(EtcdProcessesUnderTestRoots().Except(etcdProcesses).Order().Select(p => $"etcd process {p} still running"));
        leaks.AddRange(ExistingProductDirectories().Except(productDirectories).Order().Select(d => $"directory {d} (a default berthd path; tests must use their own)"));
        return leaks;
    }

    /// <summary>Fails with the list of leaks, if any.</summary>
    public void AssertNoLeaks()
    {
        IReadOnlyList<string> leaks = FindLeaks();
        Assert.True(leaks.Count == 0, "left behind after the test:\n  " + string.Join("\n  ", leaks));
    }

    private static HashSet<string> ExistingProductDirectories() =>
        ProductDirectories.Where(Directory.Exists).ToHashSet(StringComparer.Ordinal);

    internal static HashSet<string> ListNetns()
    {
        // Lines look like "name" or "name (id: 3)".
        return Cmd.Check("ip", "netns", "list")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ')[0])
            .ToHashSet(StringComparer.Ordinal);
    }

    internal static HashSet<string> ListRootLinks()
    {
        // "2: eth0: <...>" or "5: veth1@if4: <...>"
        return Cmd.Check("ip", "-o", "link", "show")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(": ")[1].Split('@')[0])
            .ToHashSet(StringComparer.Ordinal);
    }

    internal static HashSet<string> ListBerthNftTables()
    {
        if (!Cmd.Exists("nft"))
        {
            return [];
        }

        return Cmd.Check("nft", "list", "tables")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Contains("berth", StringComparison.OrdinalIgnoreCase))
            .ToHashSet(StringComparer.Ordinal);
    }

    internal static HashSet<string> ListNsfsMounts()
    {
        // mountinfo: "36 35 0:4 net:[4026532300] /run/berth-test-x/netns/a rw shared:5 - nsfs nsfs rw"
        var mounts = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            string[] halves = line.Split(" - ", 2);
            string[] fields = halves[0].Split(' ');
            if (halves.Length == 2 && halves[1].StartsWith("nsfs ", StringComparison.Ordinal) && fields.Length > 4
                && fields[4].StartsWith(MountPrefix, StringComparison.Ordinal))
            {
                mounts.Add(fields[4]);
            }
        }

        return mounts;
    }

    private static HashSet<string> BerthNetns() =>
        ListNetns().Where(n => n.Contains("berth", StringComparison.OrdinalIgnoreCase)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Test roots made by this process (<see cref="LabTest"/>); other processes' test roots are theirs to check.</summary>
    internal static System.Collections.Concurrent.ConcurrentDictionary<string, bool> TestRootsOfThisProcess { get; } = new(StringComparer.Ordinal);

    /// <summary>False only for a mount under another process's test root (/run/berth-test-X of a parallel run).</summary>
    private static bool IsOurMount(string path)
    {
        const string testRootPrefix = "/run/berth-test-";
        if (path.StartsWith(BenchPrefix, StringComparison.Ordinal) || path.StartsWith(RunShLabDirectory, StringComparison.Ordinal))
        {
            return false;
        }

        if (!path.StartsWith(testRootPrefix, StringComparison.Ordinal))
        {
            return true;
        }

        string root = testRootPrefix + path[testRootPrefix.Length..].Split('/')[0];
        return TestRootsOfThisProcess.ContainsKey(root);
    }

    /// <summary>
    /// etcd processes (pid and data directory) whose <c>--data-dir</c> lies under a test root of this process:
    /// berthd runs one per swarm manager, and it must stop with its node.
    /// </summary>
    internal static HashSet<string> EtcdProcessesUnderTestRoots() =>
        EtcdProcesses().Where(p => TestRootsOfThisProcess.Keys.Any(root => p.DataDirectory.StartsWith(root + "/", StringComparison.Ordinal)))
            .Select(p => $"{p.Pid} (--data-dir {p.DataDirectory})").ToHashSet(StringComparer.Ordinal);

    /// <summary>Kills every etcd whose data lies under <paramref name="root"/> (after the leak was reported), and waits for it to go.</summary>
    public static void KillEtcdUnder(string root)
    {
        foreach (var (pid, _) in EtcdProcesses().Where(p => p.DataDirectory.StartsWith(root + "/", StringComparison.Ordinal)))
        {
            Cmd.Run("kill", "-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Poll.Until(() => !EtcdProcesses().Any(p => p.DataDirectory.StartsWith(root + "/", StringComparison.Ordinal)), TimeSpan.FromSeconds(5));
    }

    private static IEnumerable<(int Pid, string DataDirectory)> EtcdProcesses()
    {
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out int pid))
            {
                continue;
            }

            string[] args;
            try
            {
                args = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // gone meanwhile
            }

            int dataDir = Array.IndexOf(args, "--data-dir");
            if (args.Length > 0 && Path.GetFileName(args[0]) == "etcd" && dataDir >= 0 && dataDir + 1 < args.Length)
            {
                yield return (pid, args[dataDir + 1]);
            }
        }
    }

    /// <summary>What <c>./run.sh lab</c> makes by default (scripts/lab.sh): a user's playground, never a test's.</summary>
    private const string RunShLabDirectory = "/run/berth-lab/";

    /// <summary>What bench/run.sh makes (namespaces berth-bench-PID-…, directories /run/berth-bench-PID): never a test's.</summary>
    private const string BenchPrefix = "/run/berth-bench-";

    /// <summary>False for a lab namespace of another process (berth-lab-ID-… with an ID not ours) and for a benchmark's.</summary>
    private static bool IsOurs(string name)
    {
        if (name.StartsWith("berth-bench-", StringComparison.Ordinal))
        {
            return false;
        }

        if (!name.StartsWith(Lab.NetnsPrefix, StringComparison.Ordinal))
        {
            return true;
        }

        string id = name[Lab.NetnsPrefix.Length..].Split('-')[0];
        return Lab.IdsOfThisProcess.ContainsKey(id);
    }
}
