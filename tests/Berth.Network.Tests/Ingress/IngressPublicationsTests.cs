using System.Net;
using Berth.Core.Networks;
using Berth.Core.Errors;
using Berth.Network.Ingress;
using Berth.Network.Services;

namespace Berth.Network.Tests.Ingress;

/// <summary>
/// What a node publishes through the routing mesh, from the ingress network's service view: each ingress binding's
/// published ports to its backends; and that the ingress binding gives no names and no client-side VIP balancing
/// (Docker's ingress has neither).
/// </summary>
public sealed class IngressPublicationsTests
{
    private static readonly NetworkId Ingress = new("e" + new string('1', 63));

    private static ServiceView View(string service, ServiceBindingPort[] ports, params string[] backends) => new(
        new ServiceBinding
        {
            NetworkId = Ingress,
            ServiceId = service,
            Name = service,
            Vip = IPAddress.Parse("10.0.0.2"),
            Ports = [.. ports],
            Ingress = true,
        },
        [.. backends.Select((a, i) => new ServiceBackend($"ep{i}", $"c{i}", "node", IPAddress.Parse(a)))]);

    [Fact]
    public void EachPublishedPortGoesToItsServicesBackends()
    {
        var view = new ServiceNetworkView(Ingress,
        [
            View("web", [new ServiceBindingPort("tcp", 80, 8080), new ServiceBindingPort("udp", 53, 5353)], "10.0.0.7", "10.0.0.5"),
            View("db", [new ServiceBindingPort("tcp", 5432, 15432)]),
        ]);

        var publications = IngressController.PublicationsOf(view);

        Assert.Equal(3, publications.Length);
        var web = publications.Single(p => p is { Protocol: "tcp", PublishedPort: 8080 });
        Assert.Equal(80, web.TargetPort);
        Assert.Equal(["10.0.0.5", "10.0.0.7"], web.Backends.Select(a => a.ToString()));
        Assert.Equal(53, publications.Single(p => p.Protocol == "udp").TargetPort);
        // A service without tasks keeps its port: the host table leaves it out (refused) until a backend comes.
        Assert.Empty(publications.Single(p => p.PublishedPort == 15432).Backends);
        Assert.DoesNotContain("15432", IngressRuleset.Host(publications), StringComparison.Ordinal);
        Assert.Contains("tcp dport 8080 goto pub-tcp-8080", IngressRuleset.Host(publications), StringComparison.Ordinal);
    }

    [Fact]
    public void TheIngressBindingHasNoNamesAndNoClientSideBalancing()
    {
        var service = View("web", [new ServiceBindingPort("tcp", 80, 8080)], "10.0.0.5");

        Assert.Empty(ServiceNames.RecordsOf(new ServiceNetworkView(Ingress, [service])));
        Assert.Null(LoadBalancedService.From(Ingress, service));
        // The same binding off ingress is an ordinary VIP with names.
        var plain = service with { Binding = service.Binding with { Ingress = false, Ports = [new ServiceBindingPort("tcp", 80)] } };
        Assert.NotEmpty(ServiceNames.RecordsOf(new ServiceNetworkView(Ingress, [plain])));
        Assert.NotNull(LoadBalancedService.From(Ingress, plain));
    }

    [Fact]
    public void AnIngressBindingPortWithoutItsPublishedNumberIsRefused()
    {
        var service = View("web", [new ServiceBindingPort("tcp", 80)]);

        var e = Assert.Throws<BerthException>(service.Binding.Validate);

        Assert.Contains("no published port", e.Message, StringComparison.Ordinal);
    }
}
