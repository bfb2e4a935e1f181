using Berth.Core.Networks;
using Berth.Network.Endpoints;

namespace Berth.Network.Tests.Endpoints;

/// <summary>The endpoint table: a container's endpoints by index, in the order they were made, always agreeing with the whole list.</summary>
public sealed class EndpointTableTests
{
    private static readonly NetworkId Front = new(new string('a', 64));
    private static readonly NetworkId Back = new(new string('b', 64));

    [Fact]
    public void AContainersEndpointsComeInTheOrderTheyWereMade()
    {
        var table = EndpointTable.Of([Make("c1", Front, "eth0"), Make("c2", Front, "eth0"), Make("c1", Back, "eth1")]);

        Assert.Equal(["eth0", "eth1"], table.OfContainer("c1").Select(e => e.InterfaceName));
        Assert.Equal([Front, Back], table.OfContainer("c1").Select(e => e.NetworkId));
        Assert.Single(table.OfContainer("c2"));
        Assert.Empty(table.OfContainer("c3"));
        Assert.Equal(3, table.Count);
        Assert.Equal(["c1", "c2", "c1"], table.Select(e => e.ContainerId));
    }

    [Fact]
    public void FindIsByContainerAndNetwork()
    {
        var table = EndpointTable.Of([Make("c1", Front, "eth0"), Make("c2", Back, "eth0")]);

        Assert.Equal("c1", table.Find("c1", Front)?.ContainerId);
        Assert.Null(table.Find("c1", Back));
        Assert.Null(table.Find("c9", Front));
    }

    [Fact]
    public void RemoveTakesItFromTheIndexAndTheList()
    {
        var first = Make("c1", Front, "eth0");
        var second = Make("c1", Back, "eth1");
        var table = EndpointTable.Of([first, second]).Remove(first);

        Assert.Equal(new[] { second }, table.OfContainer("c1"));
        Assert.Equal(new[] { second }, table);

        var empty = table.Remove(second);
        Assert.Empty(empty.OfContainer("c1"));
        Assert.Equal(0, empty.Count);
    }

    [Fact]
    public void ReplaceKeepsThePlace()
    {
        var first = Make("c1", Front, "eth0");
        var second = Make("c1", Back, "eth1");
        var promoted = second with { DefaultRoute = true };
        var table = EndpointTable.Of([first, second, Make("c2", Front, "eth0")]).Replace(second, promoted);

        Assert.Equal(new[] { first, promoted }, table.OfContainer("c1"));
        Assert.Equal(promoted, table.ElementAt(1));
        Assert.Equal(3, table.Count);
    }

    [Fact]
    public void TheOldTableIsUnchanged()
    {
        var before = EndpointTable.Of([Make("c1", Front, "eth0")]);
        _ = before.Add(Make("c1", Back, "eth1")).Remove(before.First());

        Assert.Single(before.OfContainer("c1"));
        Assert.Equal(1, before.Count);
    }

    private static EndpointState Make(string container, NetworkId network, string interfaceName) => new()
    {
        EndpointId = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"),
        ContainerId = container,
        NetworkId = network,
        InterfaceName = interfaceName,
        MacAddress = "02:42:0a:00:00:07",
    };
}
