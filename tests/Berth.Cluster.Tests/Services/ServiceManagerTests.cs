using System.Collections.Immutable;
using Berth.Cluster.Services;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Cluster.Tests.Services;

public sealed class ServiceManagerTests
{
    [Fact]
    public async Task CreateStoresTheRecordAndTheNameClaimWithNetworkIdsAndVips()
    {
        await using var h = new ServicesHarness();
        var net = h.Networking.Add("backnet");
        var spec = ServicesHarness.Spec("web", 3) with
        {
            Task = ServicesHarness.Spec("web").Task with { Networks = [new TaskNetwork("backnet")] },
        };

        var created = await h.Manager.CreateAsync(spec);

        var view = await h.Manager.GetAsync("web");
        Assert.Equal(created.Id, view.Record.Id);
        Assert.Equal(net.Id, Assert.Single(view.Record.Spec.Task.Networks).Target);
        var vip = Assert.Single(view.Record.VirtualIps);
        Assert.Equal(net.Id, vip.NetworkId);
        Assert.Contains((net.Id, vip.Address), h.Networking.Claimed.Keys);
        Assert.Equal(created.Id.Value, System.Text.Encoding.UTF8.GetString((await h.Memory.GetAsync(ClusterKeys.ServiceName("web")))!.Value.Span));
        Assert.Equal(3, view.DesiredTasks);
        Assert.Equal(0, view.RunningTasks);
        Assert.Equal((await h.Memory.GetAsync(ClusterKeys.Service(created.Id)))!.ModRevision, view.Version);
    }

    [Fact]
    public async Task AServiceUsesItsNetworksUntilItIsRemovedAndTheNetworkLayerIsToldSo()
    {
        await using var h = new ServicesHarness();
        var backnet = h.Networking.Add("backnet");
        var other = h.Networking.Add("other");
        var created = await h.Manager.CreateAsync(ServicesHarness.Spec("web") with
        {
            Task = ServicesHarness.Spec("web").Task with { Networks = [new TaskNetwork("backnet")] },
        });

        Assert.Equal($"service {created.Id.Value}", await h.Manager.ServiceUsingNetworkAsync(backnet.Id));
        Assert.Null(await h.Manager.ServiceUsingNetworkAsync(other.Id));
        await h.Manager.RemoveAsync("web");
        Assert.Null(await h.Manager.ServiceUsingNetworkAsync(backnet.Id)); // its tasks may still be stopping: no user
    }

    public static TheoryData<string, ErrorKind, string> BadSpecs => new()
    {
        { "name", ErrorKind.InvalidArgument, "invalid name \"-web\": name must be valid as a DNS name component" },
        { "longname", ErrorKind.InvalidArgument, "name must be 63 characters or fewer" },
        { "replicas-global", ErrorKind.InvalidArgument, "replicas can only be used with replicated or replicated-job mode" },
        { "constraint-op", ErrorKind.InvalidArgument, "invalid constraint \"node.role=manager\": constraint expected one operator from ==, !=" },
        { "constraint-key", ErrorKind.InvalidArgument, "invalid constraint \"node.rol==manager\": key 'node.rol' is invalid" },
        { "constraint-role", ErrorKind.InvalidArgument, "invalid constraint \"node.role==boss\": node.role must be manager or worker, not 'boss'" },
        { "unknown-network", ErrorKind.NotFound, "network nosuch not found" },
        { "local-network", ErrorKind.InvalidArgument, "The network localnet cannot be used with services." },
        { "dnsrr-ingress", ErrorKind.InvalidArgument, "EndpointSpec: port published with ingress mode can't be used with dnsrr mode" },
        { "duplicate-port", ErrorKind.InvalidArgument, "EndpointSpec: duplicate published ports provided (8080/tcp)" },
        { "no-image", ErrorKind.InvalidArgument, "ContainerSpec: image reference must be provided" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public async Task EachBadSpecIsRefusedWithItsKindAndMessageAndNothingIsWritten(string which, ErrorKind kind, string message)
    {
        await using var h = new ServicesHarness();
        h.Networking.Add("localnet", swarm: false);
        ServiceSpec good = ServicesHarness.Spec("web", 2);
        ServiceSpec bad = which switch
        {
            "name" => good with { Name = "-web" },
            "longname" => good with { Name = new string('a', 64) },
            "replicas-global" => good with { Mode = new ServiceMode(ServiceModeKind.Global, 2) },
            "constraint-op" => WithConstraint(good, "node.role=manager"),
            "constraint-key" => WithConstraint(good, "node.rol==manager"),
            "constraint-role" => WithConstraint(good, "node.role==boss"),
            "unknown-network" => good with { Task = good.Task with { Networks = [new TaskNetwork("nosuch")] } },
            "local-network" => good with { Task = good.Task with { Networks = [new TaskNetwork("localnet")] } },
            "dnsrr-ingress" => good with { Endpoint = new ServiceEndpointSpec { Mode = EndpointMode.Dnsrr, Ports = [new ServicePort(PortProtocol.Tcp, 80, 8080)] } },
            "duplicate-port" => good with { Endpoint = new ServiceEndpointSpec { Ports = [new ServicePort(PortProtocol.Tcp, 80, 8080), new ServicePort(PortProtocol.Tcp, 81, 8080)] } },
            "no-image" => good with { Task = good.Task with { Container = good.Task.Container with { Image = "" } } },
            _ => throw new ArgumentOutOfRangeException(nameof(which)),
        };

        var e = await Assert.ThrowsAsync<BerthException>(() => h.Manager.CreateAsync(bad));

        Assert.Equal(kind, e.Kind);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, await h.KeyCountAsync(ClusterKeys.Services));
        Assert.Equal(0, await h.KeyCountAsync(ClusterKeys.ServiceNames));
        Assert.Empty(h.Networking.Claimed);
    }

    private static ServiceSpec WithConstraint(ServiceSpec spec, string constraint) =>
        spec with { Task = spec.Task with { Placement = new TaskPlacement { Constraints = [constraint] } } };

    [Fact]
    public async Task APublishedPortHeldByAnotherServiceIsRefusedNamingIt()
    {
        await using var h = new ServicesHarness();
        h.Networking.Add("ingress", ingress: true);
        var port = new ServiceEndpointSpec { Ports = [new ServicePort(PortProtocol.Tcp, 80, 8080)] };
        var first = await h.Manager.CreateAsync(ServicesHarness.Spec("a") with { Endpoint = port });

        var e = await Assert.ThrowsAsync<BerthException>(() => h.Manager.CreateAsync(ServicesHarness.Spec("b") with { Endpoint = port }));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"port '8080' is already in use by service 'a' ({first.Id.Value}) as an ingress port", e.Message);
        Assert.Equal(1, await h.KeyCountAsync(ClusterKeys.Services));
    }

    [Fact]
    public async Task IngressPortsLeftZeroGetTheLowestFreeOfTheDynamicRangeAndKeepItAcrossUpdates()
    {
        await using var h = new ServicesHarness();
        var ingress = h.Networking.Add("ingress", ingress: true);
        var auto = new ServiceEndpointSpec { Ports = [new ServicePort(PortProtocol.Tcp, 80)] };
        await h.Manager.CreateAsync(ServicesHarness.Spec("a") with { Endpoint = auto });
        await h.Manager.CreateAsync(ServicesHarness.Spec("b") with { Endpoint = auto });

        var a = await h.Manager.GetAsync("a");
        var b = await h.Manager.GetAsync("b");
        Assert.Equal(30000, a.Record.Ports.Single().PublishedPort);
        Assert.Equal(30001, b.Record.Ports.Single().PublishedPort);
        Assert.Equal(ingress.Id, Assert.Single(a.Record.VirtualIps).NetworkId);

        await h.Manager.UpdateAsync("a", a.Version, a.Record.Spec with { Mode = ServiceMode.Replicated(4) }, rollback: false);
        Assert.Equal(30000, (await h.Manager.GetAsync("a")).Record.Ports.Single().PublishedPort);
    }

    [Fact]
    public async Task AFailedVipClaimGivesBackTheOnesTakenBeforeIt()
    {
        await using var h = new ServicesHarness();
        h.Networking.Add("n1");
        var n2 = h.Networking.Add("n2");
        h.Networking.FailClaimOn = n2.Id;
        var spec = ServicesHarness.Spec("web") with { Task = ServicesHarness.Spec("web").Task with { Networks = [new TaskNetwork("n1"), new TaskNetwork("n2")] } };

        var e = await Assert.ThrowsAsync<BerthException>(() => h.Manager.CreateAsync(spec));

        Assert.Equal(ErrorKind.Unavailable, e.Kind);
        Assert.Empty(h.Networking.Claimed);
        Assert.Equal(0, await h.KeyCountAsync(ClusterKeys.Services));
    }

    [Fact]
    public async Task OfTwoConcurrentCreatesOfOneNameExactlyOneWinsAndTheLoserReleasesItsVip()
    {
        await using var h = new ServicesHarness();
        h.Networking.Add("n1");
        var spec = ServicesHarness.Spec("web") with { Task = ServicesHarness.Spec("web").Task with { Networks = [new TaskNetwork("n1")] } };

        for (int round = 0; round < 10; round++)
        {
            string name = $"web{round}";
            var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            {
                await Task.Yield();
                try
                {
                    return (await h.Manager.CreateAsync(spec with { Name = name })).Id.Value;
                }
                catch (BerthException e) when (e.Kind == ErrorKind.Conflict)
                {
                    Assert.StartsWith("name conflicts with an existing object", e.Message, StringComparison.Ordinal);
                    return null;
                }
            }));
            Assert.Single(results, r => r is not null);
        }

        Assert.Equal(10, await h.KeyCountAsync(ClusterKeys.Services));
        Assert.Equal(10, h.Networking.Claimed.Count);
    }

    [Fact]
    public async Task ServicesResolveByIdNameAndUniquePrefixAndAnAmbiguousPrefixIsRefused()
    {
        await using var h = new ServicesHarness();
        var ids = new List<string>();
        for (int i = 0; i < 40; i++)
        {
            ids.Add((await h.Manager.CreateAsync(ServicesHarness.Spec($"s{i}"))).Id.Value);
        }

        Assert.Equal(ids[3], (await h.Manager.GetAsync(ids[3])).Record.Id.Value);
        Assert.Equal(ids[3], (await h.Manager.GetAsync("s3")).Record.Id.Value);
        // A prefix that is also a service's name ("s3" of an id "s3…") resolves to that service, as in Docker: not a prefix to test.
        string unique = Enumerable.Range(1, 25).Select(n => ids[5][..n])
            .First(p => ids.Count(i => i.StartsWith(p, StringComparison.Ordinal)) == 1 && !Enumerable.Range(0, 40).Any(n => p == $"s{n}"));
        Assert.Equal(ids[5], (await h.Manager.GetAsync(unique)).Record.Id.Value);
        string shared = ids.GroupBy(i => i[..1]).First(g => g.Count() > 1).Key;
        var ambiguous = await Assert.ThrowsAsync<BerthException>(() => h.Manager.GetAsync(shared));
        Assert.Equal(ErrorKind.InvalidArgument, ambiguous.Kind);
        Assert.Contains("is ambiguous", ambiguous.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<BerthException>(() => h.Manager.GetAsync("nosuch"));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
        Assert.Equal("service nosuch not found", missing.Message);
    }

    [Fact]
    public async Task CreateAndRemoveByIdOrNameReadTheirOwnKeysNotEveryService()
    {
        await using var h = new ServicesHarness();
        h.Networking.Add("ingress", ingress: true);
        var ids = new List<string>();
        for (int i = 0; i < 50; i++)
        {
            ids.Add((await h.Manager.CreateAsync(ServicesHarness.Spec($"s{i}"))).Id.Value);
        }

        var view = new SwitchingStore(h.Memory);
        var manager = new ServiceManager(view, h.Networking, h.Time, NullLogger.Instance);

        // Among 50 services, a create without published ports, a name taken, a remove by name and by id list none of them.
        await manager.CreateAsync(ServicesHarness.Spec("web"));
        var taken = await Assert.ThrowsAsync<BerthException>(() => manager.CreateAsync(ServicesHarness.Spec("s7")));
        Assert.Equal(ErrorKind.Conflict, taken.Kind);
        Assert.Equal("name conflicts with an existing object: service s7 already exists", taken.Message);
        await manager.RemoveAsync("web");
        await manager.RemoveAsync(ids[3]);
        Assert.Null(await h.Memory.GetAsync(ClusterKeys.ServiceName("s3")));
        Assert.Equal(49, await h.KeyCountAsync(ClusterKeys.Services));
        Assert.Equal(0, view.Listings.GetValueOrDefault(ClusterKeys.Services));
        var missing = await Assert.ThrowsAsync<BerthException>(() => manager.RemoveAsync("no-such"));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
        Assert.Equal(1, view.Listings.GetValueOrDefault(ClusterKeys.Services)); // the miss looked for a prefix too

        // A unique id prefix still resolves, from the list; a published port is still checked against every service.
        // A prefix that is also a service's name ("s3" of an id "s3…") resolves to that service, as in Docker: not a prefix to test.
        string unique = Enumerable.Range(1, 25).Select(n => ids[5][..n])
            .First(p => ids.Count(i => i.StartsWith(p, StringComparison.Ordinal)) == 1 && !Enumerable.Range(0, 40).Any(n => p == $"s{n}"));
        await manager.RemoveAsync(unique);
        Assert.Null(await h.Memory.GetAsync(ClusterKeys.ServiceName("s5")));
        var published = ServicesHarness.Spec("p1") with { Endpoint = new ServiceEndpointSpec { Ports = [new ServicePort(PortProtocol.Tcp, 80, 8080)] } };
        await manager.CreateAsync(published);
        var conflict = await Assert.ThrowsAsync<BerthException>(() => manager.CreateAsync(published with { Name = "p2" }));
        Assert.Contains("port '8080' is already in use by service 'p1'", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(4, view.Listings.GetValueOrDefault(ClusterKeys.Services));
    }

    [Fact]
    public async Task UpdateComparesTheVersionRefusesRenamesAndKeepsThePreviousSpecForRollback()
    {
        await using var h = new ServicesHarness();
        await h.Manager.CreateAsync(ServicesHarness.Spec("web", 2));
        var v1 = await h.Manager.GetAsync("web");

        var noPrevious = await Assert.ThrowsAsync<BerthException>(() => h.Manager.UpdateAsync("web", v1.Version, null, rollback: true));
        Assert.Equal($"service {v1.Record.Id.Value} does not have a previous spec", noPrevious.Message);
        var rename = await Assert.ThrowsAsync<BerthException>(() => h.Manager.UpdateAsync("web", v1.Version, v1.Record.Spec with { Name = "web2" }, rollback: false));
        Assert.Equal("renaming services is not supported", rename.Message);

        // A scale leaves the tasks' spec as it is: no new spec version.
        await h.Manager.UpdateAsync("web", v1.Version, v1.Record.Spec with { Mode = ServiceMode.Replicated(5) }, rollback: false);
        var scaled = await h.Manager.GetAsync("web");
        Assert.Equal(1, scaled.Record.SpecVersion);
        Assert.Equal(5, scaled.DesiredTasks);

        var stale = await Assert.ThrowsAsync<BerthException>(() => h.Manager.UpdateAsync("web", v1.Version, v1.Record.Spec, rollback: false));
        Assert.Equal(ErrorKind.InvalidArgument, stale.Kind);
        Assert.Equal("update out of sequence", stale.Message);

        var image = scaled.Record.Spec with { Task = scaled.Record.Spec.Task with { Container = new ContainerTaskSpec { Image = "nginx" } } };
        await h.Manager.UpdateAsync("web", scaled.Version, image, rollback: false);
        var updated = await h.Manager.GetAsync("web");
        Assert.Equal(2, updated.Record.SpecVersion);
        Assert.Equal("busybox:latest", updated.Record.PreviousSpec!.Task.Container.Image);
        Assert.Equal(ServiceUpdateState.Updating, updated.Record.UpdateStatus!.State);

        await h.Manager.UpdateAsync("web", updated.Version, null, rollback: true);
        var rolled = await h.Manager.GetAsync("web");
        Assert.Equal("busybox:latest", rolled.Record.Spec.Task.Container.Image);
        Assert.Equal("nginx", rolled.Record.PreviousSpec!.Task.Container.Image);
        Assert.Equal(3, rolled.Record.SpecVersion);
        Assert.Equal(ServiceUpdateState.RollbackStarted, rolled.Record.UpdateStatus!.State);
        Assert.Equal("manually requested rollback", rolled.Record.UpdateStatus.Message);
    }

    [Fact]
    public async Task ANetworkChangeClaimsTheNewVipAndReleasesTheOldOneAndRemoveReleasesTheRest()
    {
        await using var h = new ServicesHarness();
        var n1 = h.Networking.Add("n1");
        var n2 = h.Networking.Add("n2");
        var spec = ServicesHarness.Spec("web") with { Task = ServicesHarness.Spec("web").Task with { Networks = [new TaskNetwork("n1")] } };
        await h.Manager.CreateAsync(spec);
        var v1 = await h.Manager.GetAsync("web");

        await h.Manager.UpdateAsync("web", v1.Version, spec with { Task = spec.Task with { Networks = [new TaskNetwork("n2")] } }, rollback: false);

        var v2 = await h.Manager.GetAsync("web");
        Assert.Equal(n2.Id, Assert.Single(v2.Record.VirtualIps).NetworkId);
        Assert.Equal(n2.Id, Assert.Single(h.Networking.Claimed.Keys).Network);
        Assert.NotEqual(n1.Id, v2.Record.VirtualIps[0].NetworkId);

        await h.Manager.RemoveAsync("web");
        Assert.Empty(h.Networking.Claimed);
        Assert.Equal(0, await h.KeyCountAsync(ClusterKeys.Services));
        Assert.Equal(0, await h.KeyCountAsync(ClusterKeys.ServiceNames));
        await h.Manager.CreateAsync(spec);
        Assert.Equal(1, await h.KeyCountAsync(ClusterKeys.ServiceNames));
    }

    [Fact]
    public async Task TasksFilterByServiceNodeNameDesiredStateLabelAndUpToDate()
    {
        await using var h = new ServicesHarness();
        await h.LeadAsync();
        var n1 = await h.AddNodeAsync("alpha");
        await h.AddNodeAsync("beta");
        var spec = ServicesHarness.Spec("web", 2) with { Labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("tier", "front")]) };
        await h.Manager.CreateAsync(spec);
        await h.Manager.CreateAsync(ServicesHarness.Spec("db", 1));
        await h.ConvergeAsync(2);

        Assert.Equal(2, (await h.Manager.ListTasksAsync(new TaskFilter { Services = ["web"] })).Count);
        Assert.Equal(2, (await h.Manager.ListTasksAsync(new TaskFilter { Labels = ["tier=front"] })).Count);
        var one = Assert.Single(await h.Manager.ListTasksAsync(new TaskFilter { Names = ["web.1"] }));
        Assert.Equal(TaskState.Running, one.State);
        Assert.Equal("web", one.ServiceName);
        var onAlpha = await h.Manager.ListTasksAsync(new TaskFilter { Nodes = ["alpha"] });
        Assert.All(onAlpha, t => Assert.Equal(n1, t.Record.Node));
        Assert.Equal(3, onAlpha.Count + (await h.Manager.ListTasksAsync(new TaskFilter { Nodes = ["beta"] })).Count);
        Assert.Equal(one.Record.Id, (await h.Manager.GetTaskAsync(one.Record.Id.Value[..12])).Record.Id);

        var web = await h.Manager.GetAsync("web");
        Assert.Equal(2, web.RunningTasks);
        await h.Manager.UpdateAsync("web", web.Version, spec with { Task = spec.Task with { Container = new ContainerTaskSpec { Image = "nginx" } } }, rollback: false);
        await h.Orchestrator.ReconcileOnceAsync();
        Assert.Empty(await h.Manager.ListTasksAsync(new TaskFilter { Services = ["web"], UpToDateOnly = true }));
        Assert.Single(await h.Manager.ListTasksAsync(new TaskFilter { Services = ["web"], DesiredStates = ["shutdown"] }));
        await h.ConvergeAsync(6);
        Assert.Equal(2, (await h.Manager.ListTasksAsync(new TaskFilter { Services = ["web"], UpToDateOnly = true, DesiredStates = ["running"] })).Count);
    }
}
