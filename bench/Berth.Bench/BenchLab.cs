using System.Net;
using Berth.Core.Addressing;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;

namespace Berth.Bench;

/// <summary>
/// The benchmark's own "host": a network namespace with a bridge, so that nothing touches the
/// machine's real network. Namespaces live in /run/netns so the <c>ip</c> reference can name them.
/// </summary>
internal sealed class BenchLab : IDisposable
{
    public const string BridgeName = "bbr0";
    public static readonly IPPrefix BridgeAddress = IPPrefix.Parse("10.88.0.1/16");

    private readonly List<string> _namespaces = [];

    public BenchLab()
    {
        Prefix = $"berth-bench-{Environment.ProcessId}";
        Manager = new NamespaceManager("/run/netns");
        HostName = $"{Prefix}-host";
        Host = NetworkNamespace.Create(Manager, HostName);
        _namespaces.Add(HostName);
        Host.Links.SetUp("lo");
        Host.Links.Create(new BridgeSpec(BridgeName) { Up = true });
        Host.Rtnl.Addresses.Add(BridgeName, BridgeAddress);
        BridgeIndex = Host.Links.Get(BridgeName).Index;
    }

    public string Prefix { get; }

    public NamespaceManager Manager { get; }

    public string HostName { get; }

    /// <summary>The benchmark's host namespace, holding the bridge.</summary>
    public NetworkNamespace Host { get; }

    public int BridgeIndex { get; }

    public static IPAddress Gateway => BridgeAddress.Address;

    /// <summary>Distinct addresses in 10.88.0.0/16 for endpoint <paramref name="i"/> of group <paramref name="group"/>.</summary>
    public static IPPrefix EndpointAddress(int group, int i) =>
        new(new IPAddress([10, 88, (byte)((group * 40) + 1 + (i / 250)), (byte)(2 + (i % 250))]), 16);

    /// <summary>Links in the host namespace other than lo and the bridge.</summary>
    public int PortCount() => Host.Links.List().Count(l => l.Name != "lo" && l.Name != BridgeName);

    public void Dispose()
    {
        Host.Dispose();
        foreach (string name in _namespaces)
        {
            if (Manager.Exists(name))
            {
                Manager.Delete(name);
            }
        }
    }
}
