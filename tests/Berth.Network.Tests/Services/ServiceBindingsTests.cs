using System.Net;
using System.Text;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Services;
using Berth.Store;

namespace Berth.Network.Tests.Services;

/// <summary>The binding records in the store: key layout, JSON round trip, validation, withdrawal.</summary>
public sealed class ServiceBindingsTests
{
    private static readonly NetworkId Overlay = new("a" + new string('1', 63));

    private static ServiceBinding Web() => new()
    {
        NetworkId = Overlay,
        ServiceId = "svcweb0000000000000000001",
        Name = "web",
        Aliases = ["frontend", "www"],
        Mode = ServiceEndpointMode.Vip,
        Vip = IPAddress.Parse("10.0.1.2"),
        Ports = [new ServiceBindingPort("tcp", 80), new ServiceBindingPort("udp", 53)],
    };

    [Fact]
    public async Task A_binding_round_trips_through_its_key()
    {
        await using var store = new InMemoryStateStore();
        var bindings = new ServiceBindings(store);
        await bindings.PublishAsync(Web());

        var entry = await store.GetAsync("net/services/" + Overlay.Value + "/svcweb0000000000000000001");
        Assert.NotNull(entry);
        string json = Encoding.UTF8.GetString(entry.Value.Span);
        Assert.Contains("\"Mode\":\"vip\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Vip\":\"10.0.1.2\"", json, StringComparison.Ordinal);

        var read = await bindings.GetAsync(Overlay, "svcweb0000000000000000001");
        Assert.NotNull(read);
        Assert.Equal("web", read.Name);
        Assert.Equal(new[] { "frontend", "www" }, read.Aliases.ToArray());
        Assert.Equal(IPAddress.Parse("10.0.1.2"), read.Vip);
        Assert.Equal(new[] { new ServiceBindingPort("tcp", 80), new ServiceBindingPort("udp", 53) }, read.Ports.ToArray());
        Assert.Single(await bindings.ListAsync(Overlay));

        Assert.True(await bindings.WithdrawAsync(Overlay, "svcweb0000000000000000001"));
        Assert.False(await bindings.WithdrawAsync(Overlay, "svcweb0000000000000000001"));
        Assert.Empty(await bindings.ListAsync());
    }

    [Fact]
    public void A_dnsrr_binding_has_no_vip_in_json()
    {
        var dnsrr = Web() with { Mode = ServiceEndpointMode.Dnsrr, Vip = null, Ports = [] };
        var decoded = ServiceBindings.Decode(new StoreEntry("k", ServiceBindings.Encode(dnsrr), 1, 1, 1));
        Assert.Equal(ServiceEndpointMode.Dnsrr, decoded.Mode);
        Assert.Null(decoded.Vip);
    }

    [Fact]
    public async Task Every_problem_of_a_bad_binding_is_named_and_nothing_is_written()
    {
        await using var store = new InMemoryStateStore();
        var bad = Web() with { Vip = null, Ports = [new ServiceBindingPort("icmp", 0)] };
        var e = await Assert.ThrowsAsync<BerthException>(() => new ServiceBindings(store).PublishAsync(bad));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("needs a virtual IP", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"icmp\"", e.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ListAsync(ServiceBindings.Prefix));
    }

    [Fact]
    public void Keys_parse_back_and_other_keys_do_not()
    {
        Assert.Equal((Overlay, "s1"), ServiceBindings.ParseKey(ServiceBindings.Key(Overlay, "s1")));
        Assert.Null(ServiceBindings.ParseKey("net/services/short/s1"));
        Assert.Null(ServiceBindings.ParseKey("net/endpoints/n/" + Overlay.Value + "/e"));
    }
}
