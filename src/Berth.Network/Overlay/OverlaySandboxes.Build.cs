using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Linux.Addresses;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;

namespace Berth.Network.Overlay;

/// <summary>Making a sandbox, and finding and repairing one made earlier (<see cref="Ensure"/>).</summary>
public sealed partial class OverlaySandboxes
{
    /// <summary>IPv4 needs at least 68 (RFC 791), IPv6 1280 (RFC 8200).</summary>
    private const int MinMtuIPv4 = 68;
    private const int MinMtuIPv6 = 1280;
    private const int MaxMtu = 65535;

    /// <summary>
    /// Makes the network's sandbox, or finds it (after a restart too) and repairs what is missing or differs
    /// from <paramref name="spec"/>: br0 (alias, MTU, up, gateways), vxlan0 (VNI, port, VTEP, no learning,
    /// proxy, MTU, on br0, bridge-port learning and unknown-unicast flooding off), veths back on br0.
    /// Idempotent. Returns what it did, one line each; empty when the sandbox was already as asked.
    /// A vxlan0 re-created because its VNI, port or VTEP changed gets its peers back.
    /// </summary>
    public IReadOnlyList<string> Ensure(OverlaySandboxSpec spec)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Validate(spec);
        lock (GateOf(spec.Network))
        {
            return EnsureLocked(spec, out _, out _);
        }
    }

    private IReadOnlyList<string> EnsureLocked(OverlaySandboxSpec spec, out Sandbox sandbox, out bool created)
    {
        if (Find(spec.Network) is { } found)
        {
            sandbox = found;
            created = false;
            var changes = Repair(found, spec);
            foreach (string change in changes)
            {
                OverlayLog.Repaired(_logger, found.Name, change);
            }

            return changes;
        }

        sandbox = Create(spec);
        created = true;
        return [$"sandbox {sandbox.Name} created"];
    }

    private Sandbox Create(OverlaySandboxSpec spec)
    {
        long started = Stopwatch.GetTimestamp();
        string name = NamespaceName(spec.Network);
        var sandbox = new Sandbox(spec.Network, NetworkNamespace.Create(_namespaces, name, _logger));
        try
        {
            BuildBridge(sandbox, spec);
            if (spec.Encrypted)
            {
                BuildSeal(sandbox, spec);
            }
            else
            {
                BuildVxlan(sandbox, spec);
            }
        }
        catch (BerthException)
        {
            _sealed?.Close(spec.Network);
            sandbox.Namespace.Links.TryDelete(VxlanName);
            sandbox.Dispose();
            DeleteNamespace(name);
            throw;
        }

        _open[spec.Network] = sandbox;
        OverlayLog.Created(_logger, name, spec.Network.Short, spec.Vni, spec.Port, spec.LocalVtep.ToString(), spec.Mtu,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return sandbox;
    }

    /// <summary>br0, up, named after its network (the alias is how a restarted berthd tells which network a sandbox is), with the gateways.</summary>
    private static void BuildBridge(Sandbox sandbox, OverlaySandboxSpec spec)
    {
        var links = sandbox.Namespace.Links;
        links.Create(new BridgeSpec(BridgeName) { Mtu = spec.Mtu, Up = true });
        sandbox.BridgeIndex = links.Get(BridgeName).Index;
        links.SetAlias(LinkRef.ByIndex(sandbox.BridgeIndex), spec.Network.Value);
        var pipeline = sandbox.Namespace.Rtnl.Pipeline();
        foreach (var gateway in spec.Gateways)
        {
            pipeline.AddAddress(sandbox.BridgeIndex, gateway, GatewayFlags(gateway));
        }

        pipeline.Execute();
    }

    /// <summary>
    /// vxlan0 is made through the host's socket with the sandbox as its namespace: the kernel puts the device
    /// in the sandbox and its UDP socket in the namespace of the request (the underlay's), in one RTM_NEWLINK
    /// that also enslaves it to br0 (an index in the sandbox) and brings it up.
    /// </summary>
    private void BuildVxlan(Sandbox sandbox, OverlaySandboxSpec spec)
    {
        _host.Links.Create(new VxlanSpec(VxlanName, spec.Vni)
        {
            Local = spec.LocalVtep,
            Port = spec.Port,
            Learning = false,
            Proxy = true,
            Mtu = spec.Mtu,
            Master = LinkRef.ByIndex(sandbox.BridgeIndex),
            Up = true,
            Namespace = sandbox.Namespace.Handle,
        });
        var vxlan = sandbox.Namespace.Links.Get(VxlanName);
        sandbox.VxlanIndex = vxlan.Index;
        sandbox.LocalVtep = vxlan.Vxlan?.Local;
        QuietPort(sandbox);
        sandbox.Peers = new PeerEntries();
    }

    /// <summary>
    /// br0 neither learns on the vxlan0 port (a frame from any host that reaches the UDP port could otherwise
    /// claim a local container's MAC) nor floods unknown unicast out of it: remote MACs are static entries.
    /// </summary>
    private static void QuietPort(Sandbox sandbox) =>
        sandbox.Namespace.Links.SetBridgePort(LinkRef.ByIndex(sandbox.VxlanIndex), learning: false, unicastFlood: false);

    private List<string> Repair(Sandbox sandbox, OverlaySandboxSpec spec)
    {
        var changes = new List<string>();
        var links = sandbox.Namespace.Links;
        var all = links.List();
        var bridge = all.FirstOrDefault(l => l.Name == BridgeName);
        if (bridge is null)
        {
            BuildBridge(sandbox, spec);
            changes.Add($"{BridgeName} re-created");
        }
        else
        {
            RepairBridge(sandbox, spec, bridge, changes);
        }

        if (spec.Encrypted)
        {
            RepairSeal(sandbox, spec, all, changes);
            PutVethsBack(sandbox, all, changes);
            return changes;
        }

        var vxlan = all.FirstOrDefault(l => l.Name == VxlanName);
        if (vxlan is not null && Mismatch(vxlan, spec) is { } why)
        {
            // Its peers go with it; read them first, to program them on the new one.
            sandbox.VxlanIndex = vxlan.Index;
            var kept = vxlan.Kind == "vxlan" ? ReadPeers(sandbox).Recoverable().Where(p => !p.Vtep.Equals(spec.LocalVtep)).ToList() : [];
            links.Delete(LinkRef.ByIndex(vxlan.Index));
            BuildVxlan(sandbox, spec);
            ApplyPeers(sandbox, sandbox.Peers!, sandbox.Peers!.PlanExactly(kept), kept.Count);
            changes.Add($"{VxlanName} re-created ({why}); {kept.Count} peers programmed again");
        }
        else if (vxlan is null)
        {
            BuildVxlan(sandbox, spec);
            changes.Add($"{VxlanName} re-created; its peers were lost with it: set them again");
        }
        else if (RepairVxlan(sandbox, spec, vxlan, changes))
        {
            RestoreBridgeEntries(sandbox, changes);
        }

        PutVethsBack(sandbox, all, changes);
        return changes;
    }

    private static void PutVethsBack(Sandbox sandbox, IReadOnlyList<LinkInfo> all, List<string> changes)
    {
        foreach (var veth in all.Where(l => l.Kind == "veth" && l.MasterIndex != sandbox.BridgeIndex))
        {
            sandbox.Namespace.Links.SetMaster(LinkRef.ByIndex(veth.Index), LinkRef.ByIndex(sandbox.BridgeIndex));
            changes.Add($"veth {veth.Name} put back on {BridgeName}");
        }
    }

    private static void RepairBridge(Sandbox sandbox, OverlaySandboxSpec spec, LinkInfo bridge, List<string> changes)
    {
        var links = sandbox.Namespace.Links;
        var index = LinkRef.ByIndex(bridge.Index);
        if (bridge.Kind != "bridge")
        {
            throw new BerthException(ErrorKind.Conflict,
                $"{sandbox}: {BridgeName} is a {bridge.Kind ?? "device"} link, not a bridge; remove the sandbox and ensure it again");
        }

        if (bridge.Alias != spec.Network.Value)
        {
            if (bridge.Alias is not null)
            {
                throw new BerthException(ErrorKind.Conflict,
                    $"namespace {sandbox.Name} is the overlay sandbox of network {bridge.Alias}, not of {spec.Network}; remove that network's sandbox first");
            }

            links.SetAlias(index, spec.Network.Value);
            changes.Add($"{BridgeName} named after its network again");
        }

        sandbox.BridgeIndex = bridge.Index;
        if (bridge.Mtu != spec.Mtu)
        {
            links.SetMtu(index, spec.Mtu);
            changes.Add($"{BridgeName} MTU {bridge.Mtu} → {spec.Mtu}");
        }

        if (!bridge.IsUp)
        {
            links.SetUp(index);
            changes.Add($"{BridgeName} brought up");
        }

        var addresses = sandbox.Namespace.Rtnl.Addresses;
        var present = addresses.List(index).Where(a => a.Scope != AddressScope.Link).Select(a => a.Address).ToHashSet();
        foreach (var gateway in spec.Gateways.Where(g => !present.Contains(g)))
        {
            addresses.Add(index, gateway, GatewayFlags(gateway));
            changes.Add($"gateway {gateway} added to {BridgeName}");
        }

        foreach (var stale in present.Where(a => !spec.Gateways.Contains(a)))
        {
            addresses.Delete(index, stale);
            changes.Add($"address {stale} removed from {BridgeName}");
        }
    }

    /// <summary>Repairs an existing vxlan0 in place; true if it had to be put (back) on br0.</summary>
    private static bool RepairVxlan(Sandbox sandbox, OverlaySandboxSpec spec, LinkInfo vxlan, List<string> changes)
    {
        sandbox.VxlanIndex = vxlan.Index;
        sandbox.LocalVtep = vxlan.Vxlan?.Local;
        return RepairPort(sandbox, spec, vxlan, VxlanName, changes);
    }

    /// <summary>br0's static entries of the peers live on the port: a new br0, or the port back on br0, has none.</summary>
    private void RestoreBridgeEntries(Sandbox sandbox, List<string> changes)
    {
        var entries = ReadPeers(sandbox);
        var peers = entries.Recoverable();
        var plan = entries.PlanExactly(peers);
        if (plan.Count > 0)
        {
            ApplyPeers(sandbox, entries, plan, peers.Count);
            changes.Add($"br0 entries of {peers.Count} peers restored");
        }
    }

    /// <summary>The tunnel port (vxlan0 or seal0): MTU, on br0, up, quiet; true if it had to be put (back) on br0.</summary>
    private static bool RepairPort(Sandbox sandbox, OverlaySandboxSpec spec, LinkInfo port, string name, List<string> changes)
    {
        var links = sandbox.Namespace.Links;
        var index = LinkRef.ByIndex(port.Index);
        if (port.Mtu != spec.Mtu)
        {
            links.SetMtu(index, spec.Mtu);
            changes.Add($"{name} MTU {port.Mtu} → {spec.Mtu}");
        }

        bool enslaved = port.MasterIndex != sandbox.BridgeIndex;
        if (enslaved)
        {
            links.SetMaster(index, LinkRef.ByIndex(sandbox.BridgeIndex));
            changes.Add($"{name} put back on {BridgeName}");
        }

        if (!port.IsUp)
        {
            links.SetUp(index);
            changes.Add($"{name} brought up");
        }

        if (enslaved || port.BridgePort is not { Learning: false, UnicastFlood: false })
        {
            QuietPort(sandbox);
            changes.Add($"learning and unknown-unicast flooding turned off on the {name} port");
        }

        return enslaved;
    }

    /// <summary>Why an existing vxlan0 cannot serve <paramref name="spec"/> and must be made again; null if it can.</summary>
    private static string? Mismatch(LinkInfo vxlan, OverlaySandboxSpec spec) => vxlan switch
    {
        { Kind: not "vxlan" } => $"it was a {vxlan.Kind ?? "device"} link",
        { Vxlan: null } => "its settings could not be read",
        { Vxlan.Vni: var vni } when vni != spec.Vni => $"VNI {vni} → {spec.Vni}",
        { Vxlan.Port: var port } when port != spec.Port => $"port {port} → {spec.Port}",
        { Vxlan.Local: var local } when !Equals(local, spec.LocalVtep) => $"VTEP {local?.ToString() ?? "none"} → {spec.LocalVtep}",
        { Vxlan.Learning: true } => "it learned remote MACs",
        { Vxlan.Proxy: false } => "it did not answer ARP/ND from its neighbour table",
        { LinkNetnsId: null } => "its UDP socket was in the sandbox, not in the host namespace",
        _ => null,
    };

    private static AddressFlags GatewayFlags(IPPrefix gateway) => gateway.IsIPv4 ? AddressFlags.None : AddressFlags.NoDad;

    private static void Validate(OverlaySandboxSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<string>();
        if (spec.Vni > VxlanSpec.MaxVni)
        {
            problems.Add($"VNI {spec.Vni} is out of range (0 to {VxlanSpec.MaxVni})");
        }

        int minMtu = !spec.Gateways.IsDefault && spec.Gateways.Any(g => !g.IsIPv4) ? MinMtuIPv6 : MinMtuIPv4;
        if (spec.Mtu < minMtu || spec.Mtu > MaxMtu)
        {
            problems.Add($"MTU {spec.Mtu} is out of range ({minMtu} to {MaxMtu})");
        }

        if (spec.LocalVtep is null || spec.LocalVtep.Equals(IPAddress.Any) || spec.LocalVtep.Equals(IPAddress.IPv6Any)
            || spec.LocalVtep.IsIPv6Multicast || (spec.LocalVtep.AddressFamily == AddressFamily.InterNetwork && (spec.LocalVtep.GetAddressBytes()[0] & 0xf0) == 0xe0))
        {
            problems.Add($"VTEP address {spec.LocalVtep?.ToString() ?? "(none)"} is not a unicast address of this node");
        }

        if (spec.Port == 0)
        {
            problems.Add("UDP port 0 is not a port; VXLAN's is 4789");
        }

        if (spec.Gateways.IsDefault)
        {
            problems.Add("no gateway list given (an empty one is fine)");
        }
        else if (spec.Gateways.Distinct().Count() != spec.Gateways.Length)
        {
            problems.Add($"a gateway is given twice: {string.Join(", ", spec.Gateways)}");
        }

        if (problems.Count > 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"overlay sandbox of network {spec.Network.Short}: {string.Join("; ", problems)}");
        }
    }
}
