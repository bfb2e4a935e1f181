using System.Collections.Concurrent;

namespace Berth.Linux.IntegrationTests.Fixtures;

/// <summary>
/// A throwaway network: hosts are namespaces, a LAN is a bridge in its own namespace, links are veth
/// pairs created straight into their namespaces, so the root namespace is never touched. Built with
/// <c>ip</c> (an oracle independent of Berth). Dispose removes everything and waits until it is gone.
/// </summary>
public sealed class Lab : IDisposable
{
    public const string NetnsPrefix = "berth-lab-";

    private static readonly TimeSpan TeardownTimeout = TimeSpan.FromSeconds(10);

    private readonly List<string> namespaces = [];
    private bool disposed;

    public Lab()
    {
        Id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..3]);
        IdsOfThisProcess.TryAdd(Id, true);
    }

    /// <summary>Short random id; every namespace of the lab is named <c>berth-lab-ID-NAME</c>.</summary>
    public string Id { get; }

    /// <summary>Lab ids made by this process; the leak guard ignores other processes' labs.</summary>
    internal static ConcurrentDictionary<string, bool> IdsOfThisProcess { get; } = new();

    public LabHost AddHost(string name)
    {
        string netns = AddNamespace(name);
        return new LabHost(name, netns);
    }

    public LabLan AddLan(string name)
    {
        string netns = AddNamespace(name);
        Cmd.Check("ip", "-n", netns, "link", "add", LabLan.Bridge, "type", "bridge");
        Cmd.Check("ip", "-n", netns, "link", "set", LabLan.Bridge, "up");
        return new LabLan(name, netns);
    }

    /// <summary>
    /// Plugs <paramref name="host"/> into <paramref name="lan"/>: a veth whose host end is
    /// <paramref name="interfaceName"/> with <paramref name="cidr"/>, and whose other end is a bridge port.
    /// </summary>
    public void Connect(LabHost host, LabLan lan, string interfaceName, string cidr)
    {
        if (interfaceName.Length > 15)
        {
            throw new ArgumentException($"interface name \"{interfaceName}\" is longer than 15 characters", nameof(interfaceName));
        }

        string port = lan.NextPortName();
        Cmd.Check("ip", "-n", lan.NetnsName, "link", "add", port, "type", "veth", "peer", "name", interfaceName, "netns", host.NetnsName);
        Cmd.Check("ip", "-n", lan.NetnsName, "link", "set", port, "master", LabLan.Bridge, "up");
        Cmd.Check("ip", "-n", host.NetnsName, "addr", "add", cidr, "dev", interfaceName);
        Cmd.Check("ip", "-n", host.NetnsName, "link", "set", interfaceName, "up");
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        var errors = new List<string>();
        foreach (string netns in namespaces)
        {
            CmdResult result = Cmd.Run("ip", "netns", "del", netns);
            if (!result.Succeeded)
            {
                errors.Add(result.ToString());
            }
        }

        bool gone = Poll.Until(
            () =>
            {
                HashSet<string> listed = LeakGuard.ListNetns();
                string mounts = File.ReadAllText("/proc/self/mountinfo");
                return namespaces.All(n => !listed.Contains(n) && !mounts.Contains("/run/netns/" + n + " ", StringComparison.Ordinal));
            },
            TeardownTimeout);
        if (!gone)
        {
            errors.Add($"lab {Id}: namespaces still listed or mounted {TeardownTimeout.TotalSeconds:0} s after deletion: {string.Join(", ", namespaces)}");
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"tearing down lab {Id} failed:\n" + string.Join("\n", errors));
        }
    }

    private string AddNamespace(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        string netns = $"{NetnsPrefix}{Id}-{name}";
        Cmd.Check("ip", "netns", "add", netns);
        namespaces.Add(netns);
        Cmd.Check("ip", "-n", netns, "link", "set", "lo", "up");
        return netns;
    }
}
