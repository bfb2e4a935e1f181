using System.Collections.Concurrent;
using System.Net;
using Berth.Core.Networks;
using Berth.Network.Cluster;
using Berth.Network.Dns;
using Berth.Network.Services;
using Berth.Store;

namespace Berth.Network.Tests.Services;

/// <summary>
/// Services' names as every node's resolver answers them, from binding records in a store and endpoint records naming
/// their service: the name and aliases → VIP (vip) or backends (dnsrr), tasks.* → backends, following changes.
/// </summary>
public sealed class ServiceNamesTests : IAsyncDisposable
{
    private static readonly NetworkId Overlay = new("a" + new string('1', 63));
    private static readonly NetworkId Other = new("b" + new string('2', 63));
    private static readonly string Client = new('c', 64);
    private static readonly string Stranger = new('d', 64);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private readonly InMemoryStateStore store = new();
    private readonly ConcurrentDictionary<string, RemoteEndpoint> endpoints = new();
    private readonly DnsRegistry registry = new();
    private readonly ServiceTable table;

    public ServiceNamesTests()
    {
        table = new ServiceTable(network => endpoints.Values.Where(e => e.NetworkId == network).ToList());
        new ServiceNames(registry).Follow(table);
        registry.Set(new DnsEndpoint { ContainerId = Client, ContainerName = "client", NetworkId = Overlay, NetworkName = "ov", IPv4 = IPAddress.Parse("10.0.1.100") });
        registry.Set(new DnsEndpoint { ContainerId = Stranger, ContainerName = "stranger", NetworkId = Other, NetworkName = "other", IPv4 = IPAddress.Parse("10.0.2.100") });
    }

    public async ValueTask DisposeAsync()
    {
        await table.DisposeAsync();
        await store.DisposeAsync();
    }

    private static ServiceBinding Binding(string id, string name, ServiceEndpointMode mode, string? vip, params string[] aliases) => new()
    {
        NetworkId = Overlay,
        ServiceId = id,
        Name = name,
        Aliases = [.. aliases],
        Mode = mode,
        Vip = vip is null ? null : IPAddress.Parse(vip),
        Ports = vip is null ? [] : [new ServiceBindingPort("tcp", 80)],
    };

    private void Backend(string service, string endpoint, string address, string node = "node2")
    {
        endpoints[endpoint] = new RemoteEndpoint
        {
            Node = node,
            Vtep = IPAddress.Parse("192.168.0.2"),
            NetworkId = Overlay,
            EndpointId = endpoint,
            ContainerId = endpoint + "-c",
            ContainerName = service + "." + endpoint,
            MacAddress = "02:42:0a:00:01:02",
            IPv4 = IPAddress.Parse(address),
            ServiceId = service,
        };
        table.Invalidate(Overlay);
    }

    private void Gone(string endpoint)
    {
        endpoints.TryRemove(endpoint, out _);
        table.Invalidate(Overlay);
    }

    private string[] Resolve(string name, string asker = "")
    {
        var lookup = registry.Lookup(asker.Length == 0 ? Client : asker, new DnsQuestion(name, DnsRecordType.A));
        return lookup.Kind == DnsLookupKind.Answered ? [.. lookup.Answers.Select(a => a.Address!.ToString()).Order(StringComparer.Ordinal)] : [];
    }

    private static void Eventually(Func<bool> condition) => Assert.True(SpinWait.SpinUntil(condition, Deadline), "not within the deadline");

    [Fact]
    public async Task Vip_mode_names_resolve_to_the_vip_and_tasks_names_to_every_backend()
    {
        await table.ConnectAsync(store);
        Backend("web1", "e1", "10.0.1.3");
        Backend("web1", "e2", "10.0.1.4", node: "node1");
        await new ServiceBindings(store).PublishAsync(Binding("web1", "web", ServiceEndpointMode.Vip, "10.0.1.2", "frontend"));

        Eventually(() => Resolve("tasks.web").Length == 2);
        Assert.Equal(["10.0.1.2"], Resolve("web"));
        Assert.Equal(["10.0.1.2"], Resolve("FRONTEND."));
        Assert.Equal(["10.0.1.3", "10.0.1.4"], Resolve("tasks.web"));
        Assert.Equal(["10.0.1.3", "10.0.1.4"], Resolve("tasks.frontend"));

        // Only containers on the service's network see it; the service's own id is no name.
        Assert.Empty(Resolve("web", Stranger));
        Assert.Empty(Resolve("service/web1"));

        // A backend that leaves is gone from tasks.* at once; the VIP stays.
        Gone("e1");
        Eventually(() => Resolve("tasks.web").Length == 1);
        Assert.Equal(["10.0.1.4"], Resolve("tasks.web"));
        Assert.Equal(["10.0.1.2"], Resolve("web"));

        // The binding withdrawn: no name is left.
        await new ServiceBindings(store).WithdrawAsync(Overlay, "web1");
        Eventually(() => Resolve("web").Length == 0 && Resolve("tasks.web").Length == 0);
        Assert.Empty(Resolve("frontend"));
    }

    [Fact]
    public async Task Dnsrr_mode_names_resolve_to_every_backend()
    {
        await new ServiceBindings(store).PublishAsync(Binding("db1", "db", ServiceEndpointMode.Dnsrr, null, "database"));
        Backend("db1", "e7", "10.0.1.7");
        Backend("db1", "e8", "10.0.1.8");
        Backend("other", "e9", "10.0.1.9");
        await table.ConnectAsync(store);

        Eventually(() => Resolve("db").Length == 2);
        Assert.Equal(["10.0.1.7", "10.0.1.8"], Resolve("database"));
        Assert.Equal(["10.0.1.7", "10.0.1.8"], Resolve("tasks.db"));

        // The container names of the backends are not the resolver's business here (ClusterEndpoints registers them).
        Assert.Empty(Resolve("db1.e7"));

        Gone("e7");
        Eventually(() => Resolve("db").Length == 1);
        Assert.Equal(["10.0.1.8"], Resolve("tasks.database"));

        // Disconnected from the cluster: every service name goes.
        await table.DisconnectAsync();
        Eventually(() => Resolve("db").Length == 0);
    }

    [Fact]
    public void Records_of_a_view_are_one_per_vip_and_one_per_backend()
    {
        var view = ServiceTable.Compute(Overlay, [Binding("web1", "web", ServiceEndpointMode.Vip, "10.0.1.2")], []);
        var records = ServiceNames.RecordsOf(view);
        var vip = Assert.Single(records);
        Assert.Equal("service/web1", vip.ContainerId);
        Assert.True(vip.ServiceRecord);
        Assert.Equal(["web"], vip.Names());
    }
}
