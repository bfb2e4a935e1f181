namespace Berth.Linux.IntegrationTests.Fixtures;

/// <summary>A host in a lab: one network namespace with lo up, made by <c>ip netns add</c>.</summary>
public sealed class LabHost
{
    private static readonly Lazy<bool> PingInstalled = new(EnsurePing);

    internal LabHost(string name, string netnsName)
    {
        Name = name;
        NetnsName = netnsName;
    }

    public string Name { get; }

    /// <summary>The name under /run/netns (what <c>ip -n</c> takes).</summary>
    public string NetnsName { get; }

    public string NetnsPath => "/run/netns/" + NetnsName;

    /// <summary>Runs a command inside this host's namespace (<c>ip netns exec</c>).</summary>
    public CmdResult Exec(params string[] args) => Cmd.Run("ip", ["netns", "exec", NetnsName, .. args]);

    /// <summary>Runs <c>ip -n NS args...</c>; the command must succeed.</summary>
    public string Ip(params string[] args) => Cmd.Check("ip", ["-n", NetnsName, .. args]);

    /// <summary>One echo request with a one-second wait; true when a reply came back.</summary>
    public bool Ping(string address)
    {
        _ = PingInstalled.Value;
        return Exec("ping", "-n", "-c1", "-W1", address).Succeeded;
    }

    /// <summary>Pings until a reply arrives or <paramref name="timeout"/> passes (links need a moment to come up).</summary>
    public bool PingWithin(string address, TimeSpan timeout) => Poll.Until(() => Ping(address), timeout);

    public override string ToString() => $"lab host {Name} (netns {NetnsName})";

    private static bool EnsurePing()
    {
        if (Cmd.Exists("ping"))
        {
            return true;
        }

        TimeSpan aptTimeout = TimeSpan.FromMinutes(5);
        CmdResult install = Cmd.RunWithTimeout(aptTimeout, "apt-get", "install", "-y", "iputils-ping");
        if (!install.Succeeded)
        {
            Cmd.RunWithTimeout(aptTimeout, "apt-get", "update");
            install = Cmd.RunWithTimeout(aptTimeout, "apt-get", "install", "-y", "iputils-ping");
        }

        return install.Succeeded && Cmd.Exists("ping")
            ? true
            : throw new InvalidOperationException("ping is missing and could not be installed: " + install);
    }
}
