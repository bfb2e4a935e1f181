using System.Collections.Immutable;
using Berth.Core.Networks;
using Berth.Network.Dns;

namespace Berth.Network.Services;

/// <summary>
/// Services' names in the embedded resolver, on every node, for containers on the service's network (the resolver only
/// answers names of the asker's networks). A service answers as Docker's does:
/// <list type="bullet">
/// <item>its name and each alias → the VIP (vip mode) or every backend's address (dnsrr mode);</item>
/// <item><c>tasks.&lt;name&gt;</c> and <c>tasks.&lt;alias&gt;</c> → every backend's address, in both modes.</item>
/// </list>
/// They are name records (<see cref="DnsEndpoint.ServiceRecord"/>): one for the VIP (key <c>service/&lt;id&gt;</c>) and one per
/// backend (<c>service/&lt;id&gt;/&lt;endpoint&gt;</c>), applied per changed network as one snapshot of the registry.
/// </summary>
public sealed class ServiceNames
{
    /// <summary>The prefix of the name records' keys (their <c>ContainerId</c>); no container id has a '/'.</summary>
    public const string KeyPrefix = "service/";

    private const string TasksPrefix = "tasks.";

    private readonly DnsRegistry _registry;
    private readonly Dictionary<NetworkId, ImmutableHashSet<string>> _applied = [];

    public ServiceNames(DnsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
    }

    /// <summary>Follows a table: each batch of changed networks becomes one change of the names.</summary>
    public void Follow(ServiceTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.Subscribe(Apply);
    }

    /// <summary>The name records of one network's services.</summary>
    public static IReadOnlyList<DnsEndpoint> RecordsOf(ServiceNetworkView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var records = new List<DnsEndpoint>();
        foreach (var service in view.Services.Where(s => !s.Binding.Ingress))
        {
            var binding = service.Binding;
            ImmutableArray<string> names = [.. new[] { binding.Name }.Concat(binding.Aliases).Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
            ImmutableArray<string> tasks = [.. names.Select(n => TasksPrefix + n)];
            if (binding is { Mode: ServiceEndpointMode.Vip, Vip: { } vip })
            {
                records.Add(Record(view.Network, KeyPrefix + binding.ServiceId, binding.Name, names, vip));
            }

            var backendNames = binding.Mode == ServiceEndpointMode.Dnsrr ? names.AddRange(tasks) : tasks;
            foreach (var backend in service.Backends)
            {
                records.Add(Record(view.Network, KeyPrefix + binding.ServiceId + "/" + backend.EndpointId, binding.Name, backendNames, backend.Address));
            }
        }

        return records;
    }

    /// <summary>Replaces the records of the changed networks, all in one registry change.</summary>
    public void Apply(IReadOnlyList<ServiceNetworkView> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var set = new List<DnsEndpoint>();
        var removed = new List<(string, NetworkId)>();
        lock (_applied)
        {
            foreach (var view in changed)
            {
                var records = RecordsOf(view);
                var keys = records.Select(r => r.ContainerId).ToImmutableHashSet(StringComparer.Ordinal);
                foreach (string gone in _applied.GetValueOrDefault(view.Network, []).Except(keys))
                {
                    removed.Add((gone, view.Network));
                }

                set.AddRange(records);
                if (keys.IsEmpty)
                {
                    _applied.Remove(view.Network);
                }
                else
                {
                    _applied[view.Network] = keys;
                }
            }

            _registry.Apply(set, removed);
        }
    }

    private static DnsEndpoint Record(NetworkId network, string key, string name, ImmutableArray<string> names, System.Net.IPAddress address) => new()
    {
        ContainerId = key,
        ContainerName = name,
        NetworkId = network,
        NetworkName = "",
        Aliases = names,
        IPv4 = address,
        ServiceRecord = true,
    };
}
