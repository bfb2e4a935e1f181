using System.Numerics;
using Berth.Cluster.Identity;
using Berth.Core.Errors;

namespace Berth.Cluster.Tests;

public sealed class IdentityTests
{
    [Fact]
    public void New_ids_are_25_lowercase_base36_characters_and_distinct()
    {
        var nodes = Enumerable.Range(0, 2000).Select(_ => NodeId.New().Value).ToList();
        var clusters = Enumerable.Range(0, 200).Select(_ => ClusterId.New().Value).ToList();

        Assert.All(nodes.Concat(clusters), id => Assert.Matches("^[0-9a-z]{25}$", id));
        Assert.Equal(nodes.Count, nodes.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(clusters.Count, clusters.Distinct(StringComparer.Ordinal).Count());

        // Every digit turns up in every position but the first: the 25 kept digits are not skewed by the top bit.
        Assert.All(Enumerable.Range(1, RandomId.Length - 1), position => Assert.True(nodes.Select(id => id[position]).Distinct().Count() >= 30));
    }

    [Theory]
    [InlineData("")]
    [InlineData("24ifsmvkjbyhk8q3nyqsxd3o")]
    [InlineData("24ifsmvkjbyhk8q3nyqsxd3o9a")]
    [InlineData("24IFSMVKJBYHK8Q3NYQSXD3O9")]
    [InlineData("24ifsmvkjbyhk8q3nyqsxd3o-")]
    public void Malformed_ids_are_refused(string text)
    {
        var e = Assert.Throws<BerthException>(() => new NodeId(text));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("is not a node id", e.Message, StringComparison.Ordinal);
        Assert.False(NodeId.TryParse(text, out _));
        Assert.False(ClusterId.TryParse(text, out _));
    }

    [Fact]
    public void Ids_parse_back()
    {
        Assert.True(NodeId.TryParse("24ifsmvkjbyhk8q3nyqsxd3o9", out NodeId node));
        Assert.Equal("24ifsmvkjbyhk8q3nyqsxd3o9", node.ToString());
        Assert.Equal(node, new NodeId("24ifsmvkjbyhk8q3nyqsxd3o9"));
        Assert.Equal("abajmipo7b4xz5ip2nrla6b11", new ClusterId("abajmipo7b4xz5ip2nrla6b11").Value);
    }

    [Theory]
    [InlineData("0", 1, "0")]
    [InlineData("35", 2, "0z")]
    [InlineData("36", 2, "10")]
    [InlineData("1295", 3, "0zz")]
    public void Base36_encodes_like_Gos_big_Int_Text(string number, int width, string expected)
    {
        Assert.Equal(expected, Base36.Encode(BigInteger.Parse(number, System.Globalization.CultureInfo.InvariantCulture), width));
        Assert.True(Base36.TryDecode(expected, out BigInteger back));
        Assert.Equal(BigInteger.Parse(number, System.Globalization.CultureInfo.InvariantCulture), back);
    }

    [Fact]
    public void Base36_refuses_what_does_not_fit_and_foreign_digits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Base36.Encode(new BigInteger(36), 1));
        Assert.False(Base36.TryDecode("Z", out _));
        Assert.False(Base36.TryDecode("", out _));
    }

    [Fact]
    public void Roles_map_to_swarmkits_organisational_units()
    {
        Assert.Equal("swarm-manager", ClusterRole.Manager.OrganizationalUnit());
        Assert.Equal("swarm-worker", ClusterRole.Worker.OrganizationalUnit());
        Assert.Equal(ClusterRole.Manager, ClusterRoles.FromOrganizationalUnit("swarm-manager"));
        Assert.Equal(ClusterRole.Worker, ClusterRoles.FromOrganizationalUnit("swarm-worker"));
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => ClusterRoles.FromOrganizationalUnit("swarm-ca")).Kind);
    }
}
