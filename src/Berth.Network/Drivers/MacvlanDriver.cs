using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Network.Endpoints;
using Berth.Network.Firewall;

namespace Berth.Network.Drivers;

/// <summary>
/// macvlan networks: containers get their own MAC on a parent link (the containers' macvlans are
/// made with the containers). The network itself owns at most a parent Berth made: the 802.1Q
/// sub-interface for <c>parent=eth0.10</c>, or, with no parent, a placeholder bridge that makes the
/// network internal (Docker uses a dummy link; this project's kernels lack dummy).
/// </summary>
public sealed class MacvlanDriver(NetworkNamespace host, LinkReaper reaper) : INetworkDriver
{
    /// <summary>Driver state value of <see cref="MacvlanOptions.StateParentCreated"/> for a network made without a parent.</summary>
    private const string PlaceholderParent = "placeholder";

    private readonly MacvlanHostShim _shim = new(host);

    private static readonly ImmutableDictionary<string, MacvlanMode> Modes = new Dictionary<string, MacvlanMode>
    {
        ["bridge"] = MacvlanMode.Bridge,
        ["private"] = MacvlanMode.Private,
        ["vepa"] = MacvlanMode.Vepa,
        ["passthru"] = MacvlanMode.Passthru,
    }.ToImmutableDictionary();

    public string Name => NetworkDrivers.Macvlan;

    public NetworkDriverCapabilities Capabilities { get; } = new()
    {
        ConnectsContainers = true,
        EmbeddedDns = true,
        NeedsGateway = true,
    };

    public BridgeRules? FirewallRules(NetworkState network) => null;

    public SubnetAllocation AddressPool(NetworkState network, SubnetAllocation subnet) => MacvlanHostShim.Reserving(network, subnet);

    /// <summary>A macvlan endpoint has no host side.</summary>
    public EndpointPlan PlanEndpoint(NetworkState network, string containerId) => EndpointPlan.None;

    /// <summary>The mode a network's containers get (default bridge).</summary>
    public static MacvlanMode ModeOf(NetworkConfig config) =>
        config.Options.TryGetValue(MacvlanOptions.Mode, out string? mode) && Modes.TryGetValue(mode, out var parsed) ? parsed : MacvlanMode.Bridge;

    public IReadOnlyDictionary<string, string> Plan(NetworkConfig config, NetworkId id, IReadOnlyCollection<NetworkState> existing)
    {
        var problems = new List<string>();
        var options = config.Options;
        DriverOptions.RejectUnknown(Name, options, MacvlanOptions.Known, problems);
        DriverOptions.Int(options, MacvlanOptions.Mtu, 68, 65535, problems);
        if (options.TryGetValue(MacvlanOptions.Mode, out string? mode) && !Modes.ContainsKey(mode))
        {
            problems.Add($"macvlan_mode \"{mode}\" is not supported; use one of: {string.Join(", ", Modes.Keys.Order())}");
        }

        var state = ImmutableDictionary<string, string>.Empty;
        if (!options.TryGetValue(MacvlanOptions.Parent, out string? parent) || parent.Length == 0)
        {
            // No parent: an internal network on a placeholder link of its own.
            state = state.Add(MacvlanOptions.StateParent, "mv-" + id.Short).Add(MacvlanOptions.StateParentCreated, PlaceholderParent);
        }
        else if (LinkName.Problem(parent) is { } nameProblem)
        {
            problems.Add($"parent: {nameProblem}");
        }
        else if (host.Links.TryGet(parent) is not null)
        {
            state = state.Add(MacvlanOptions.StateParent, parent);
        }
        else if (VlanParts(parent) is var (baseName, vlanId))
        {
            if (host.Links.TryGet(baseName) is null)
            {
                problems.Add($"parent interface {baseName} of VLAN sub-interface {parent} does not exist; pick one of: {Candidates(existing)}");
            }
            else
            {
                state = state.Add(MacvlanOptions.StateParent, parent).Add(MacvlanOptions.StateParentCreated, "vlan:" + vlanId.ToString(CultureInfo.InvariantCulture));
            }
        }
        else
        {
            problems.Add($"parent interface {parent} does not exist; pick one of: {Candidates(existing)} (or name a VLAN sub-interface such as {FirstCandidate(existing)}.10)");
        }

        if (state.TryGetValue(MacvlanOptions.StateParent, out string? chosen) && !state.ContainsKey(MacvlanOptions.StateParentCreated)
            && ModeOf(config) == MacvlanMode.Passthru
            && existing.FirstOrDefault(n => n.Driver == Name && n.DriverState.GetValueOrDefault(MacvlanOptions.StateParent) == chosen) is { } other)
        {
            problems.Add($"parent {chosen} is already used by macvlan network \"{other.Name}\"; a passthru network needs a parent of its own");
        }

        MacvlanHostShim.CheckOption(config, hasParent: parent is { Length: > 0 }, problems);
        if (MacvlanHostShim.AddressesOf(config).Count > 0)
        {
            state = state.Add(MacvlanOptions.StateHostShim, MacvlanHostShim.NameFor(id));
        }

        DriverOptions.ThrowIfAny(config.Name, problems);
        return state;
    }

    public void Create(NetworkState network)
    {
        if (HostShimOf(network) is var (_, addresses))
        {
            DriverOptions.ThrowIfAny(network.Name, MacvlanHostShim.Problems(addresses, network.Subnets));
        }

        CreateParent(network);
        if (HostShimOf(network) is var (shim, shimAddresses))
        {
            try
            {
                _shim.Create(network, ParentOf(network), shim, shimAddresses);
            }
            catch (BerthException)
            {
                Delete(network);
                throw;
            }
        }
    }

    private void CreateParent(NetworkState network)
    {
        string parent = ParentOf(network);
        string? created = network.DriverState.GetValueOrDefault(MacvlanOptions.StateParentCreated);
        if (created is null)
        {
            return;
        }

        try
        {
            if (created == PlaceholderParent)
            {
                host.Links.Create(new BridgeSpec(parent) { Up = true });
            }
            else
            {
                var (baseName, vlanId) = VlanParts(parent) ?? throw new BerthException(ErrorKind.Internal, $"\"{parent}\" is not a VLAN name");
                host.Links.Create(new VlanSpec(parent, baseName, vlanId) { Up = true });
            }
        }
        catch (KernelException e) when (e.Kind == ErrorKind.NotSupported)
        {
            throw new BerthException(ErrorKind.NotSupported,
                $"network \"{network.Name}\": parent {parent} does not exist and this kernel cannot make the 802.1Q sub-interface (it was built without CONFIG_VLAN_8021Q); create {parent} yourself or use an existing parent",
                e);
        }
    }

    public void Delete(NetworkState network)
    {
        if (network.DriverState.TryGetValue(MacvlanOptions.StateHostShim, out string? shim))
        {
            _shim.TryDelete(shim);
        }

        if (network.DriverState.ContainsKey(MacvlanOptions.StateParentCreated))
        {
            reaper.Reap(ParentOf(network));
        }
    }

    /// <summary>A macvlan endpoint has no host end: its interface lives and dies with the container's namespace.</summary>
    public IReadOnlyList<string> RemoveStrays(NetworkState network, IReadOnlySet<string> hostInterfaces) => [];

    public IReadOnlyList<string> Reconcile(NetworkState network)
    {
        var repaired = new List<string>(ReconcileParent(network));
        if (HostShimOf(network) is var (shim, addresses) && host.Links.TryGet(ParentOf(network)) is not null)
        {
            repaired.AddRange(_shim.Reconcile(network, ParentOf(network), shim, addresses));
        }

        return repaired;
    }

    private IReadOnlyList<string> ReconcileParent(NetworkState network)
    {
        string parent = ParentOf(network);
        if (host.Links.TryGet(parent) is not null)
        {
            return [];
        }

        if (network.DriverState.ContainsKey(MacvlanOptions.StateParentCreated))
        {
            CreateParent(network);
            return [$"parent {parent} re-created"];
        }

        // A parent the user owns went away: nothing Berth can re-create; containers will fail with a clear error.
        return [$"parent {parent} is missing (not made by Berth; left alone)"];
    }

    public void Join(NetworkState network, EndpointState endpoint, NetworkNamespace container)
    {
        // Created straight into the container's namespace, on the parent in the host's.
        var mtu = network.Config.Options.TryGetValue(MacvlanOptions.Mtu, out string? text) && int.TryParse(text, CultureInfo.InvariantCulture, out int value) ? value : (int?)null;
        host.Links.Create(new MacvlanSpec(endpoint.InterfaceName, ParentOf(network), ModeOf(network.Config))
        {
            Namespace = container.Handle,
            MacAddress = EndpointWiring.Mac(endpoint),
            Mtu = mtu,
        });
        try
        {
            EndpointWiring.Configure(container, endpoint);
        }
        catch (BerthException)
        {
            container.Links.TryDelete(endpoint.InterfaceName);
            throw;
        }
    }

    public void Leave(NetworkState network, EndpointState endpoint, NetworkNamespace container) =>
        container.Links.TryDelete(endpoint.InterfaceName);

    internal static string ParentOf(NetworkState network) =>
        network.DriverState.TryGetValue(MacvlanOptions.StateParent, out string? parent) ? parent
            : throw new BerthException(ErrorKind.Internal, $"network \"{network.Name}\" has no parent in its state");

    /// <summary>The host shim's name and addresses, when the network has one.</summary>
    private static (string Name, IReadOnlyList<IPAddress> Addresses)? HostShimOf(NetworkState network) =>
        network.DriverState.TryGetValue(MacvlanOptions.StateHostShim, out string? shim) && MacvlanHostShim.AddressesOf(network.Config) is { Count: > 0 } addresses
            ? (shim, addresses)
            : null;

    /// <summary><c>eth0.10</c> → (eth0, 10); null when the name is not a VLAN sub-interface name.</summary>
    internal static (string Base, int VlanId)? VlanParts(string name)
    {
        int dot = name.LastIndexOf('.');
        return dot > 0 && int.TryParse(name.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int id) && id is >= 1 and <= VlanSpec.MaxVlanId
            ? (name[..dot], id)
            : null;
    }

    /// <summary>Links a user could name as parent: not lo, not another macvlan, not a bridge or placeholder of a Berth network.</summary>
    private string Candidates(IReadOnlyCollection<NetworkState> existing)
    {
        var owned = existing
            .Where(n => n.DriverState.ContainsKey(BridgeOptions.StateBridge) || n.DriverState.ContainsKey(MacvlanOptions.StateParentCreated))
            .Select(n => n.DriverState.GetValueOrDefault(BridgeOptions.StateBridge) ?? n.DriverState.GetValueOrDefault(MacvlanOptions.StateParent))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var names = host.Links.List()
            .Where(l => l.Name != "lo" && l.Kind is null or "veth" or "bond" or "vlan" or "bridge" && !owned.Contains(l.Name))
            .Select(l => l.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
        return names.Count == 0 ? "(no candidate links)" : string.Join(", ", names);
    }

    private string FirstCandidate(IReadOnlyCollection<NetworkState> existing)
    {
        string candidates = Candidates(existing);
        return candidates.StartsWith('(') ? "eth0" : candidates.Split(", ")[0];
    }

    public NetworkHostView Describe(NetworkState network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var shim = HostShimOf(network);
        return new NetworkHostView
        {
            Parent = ParentOf(network),
            ParentMadeByBerth = network.DriverState.ContainsKey(MacvlanOptions.StateParentCreated),
            ParentIsPlaceholder = network.DriverState.GetValueOrDefault(MacvlanOptions.StateParentCreated) == PlaceholderParent,
            Mode = Modes.First(m => m.Value == ModeOf(network.Config)).Key,
            HostShim = shim?.Name,
            HostShimAddresses = shim is { } s ? [.. s.Addresses] : [],
            HostReachesContainers = shim is not null,
            Mtu = network.Config.Options.TryGetValue(MacvlanOptions.Mtu, out string? text) && int.TryParse(text, CultureInfo.InvariantCulture, out int mtu) ? mtu : null,
        };
    }
}
