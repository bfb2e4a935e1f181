namespace Berth.Linux.IntegrationTests.Fixtures;

/// <summary>A LAN in a lab: a bridge <see cref="Bridge"/> inside a namespace of its own.</summary>
public sealed class LabLan
{
    public const string Bridge = "br0";

    private int ports;

    internal LabLan(string name, string netnsName)
    {
        Name = name;
        NetnsName = netnsName;
    }

    public string Name { get; }

    public string NetnsName { get; }

    public string NetnsPath => "/run/netns/" + NetnsName;

    /// <summary>A fresh name for the LAN side of a veth; unique inside this LAN's namespace.</summary>
    internal string NextPortName() => "p" + Interlocked.Increment(ref ports);

    public override string ToString() => $"lab LAN {Name} (netns {NetnsName}, bridge {Bridge})";
}
