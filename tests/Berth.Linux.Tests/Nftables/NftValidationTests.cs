using Berth.Core.Errors;
using Berth.Linux.Nftables;

namespace Berth.Linux.Tests.Nftables;

public class NftValidationTests
{
    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("a b")]
    [InlineData("x;flush ruleset")]
    [InlineData("x}")]
    [InlineData("a\nb")]
    [InlineData("a.b")]
    [InlineData("a\"b")]
    [InlineData("@x")]
    public void Bad_identifiers_are_refused_naming_the_object(string name)
    {
        var e = Assert.Throws<BerthException>(() => new NftChain(name));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("chain name", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fwd")]
    [InlineData("counter")]
    [InlineData("table")]
    [InlineData("accept")]
    public void Nft_keywords_are_refused_as_names(string name)
    {
        var e = Assert.Throws<BerthException>(() => new NftChain(name));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("keyword", e.Message, StringComparison.Ordinal);
        Assert.Equal("fwd_abc", new NftChain("fwd_abc").Name);
    }

    [Fact]
    public void Long_names_are_refused_and_good_ones_accepted()
    {
        Assert.Throws<BerthException>(() => new NftTableRef(NftFamily.Inet, new string('a', 256)));
        Assert.Equal("inet _Berth-1_x", new NftTableRef(NftFamily.Inet, "_Berth-1_x").ToString());
        Assert.Throws<BerthException>(() => new NftSet("s;", NftType.Ipv4Addr));
        Assert.Throws<BerthException>(() => new NftMap("m m", NftType.Ipv4Addr, NftType.Ipv4Addr));
        Assert.Throws<BerthException>(() => NftVerdict.Jump("x y"));
        Assert.Throws<BerthException>(() => new NftSetRef("a}"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("br\"0")]
    [InlineData("br\\0")]
    [InlineData("br 0")]
    [InlineData("br\n0")]
    [InlineData("eth0/1")]
    [InlineData("abcdefghijklmnop")]
    public void Bad_interface_names_are_refused(string name)
    {
        var e = Assert.Throws<BerthException>(() => new NftInterfaceName(name));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("interface name", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\"b")]
    [InlineData("a\\b")]
    [InlineData("line\nbreak")]
    public void Bad_comments_are_refused(string comment)
    {
        var e = Assert.Throws<BerthException>(() => new NftRule(NftCounter.Instance).WithComment(comment));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("comment", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_that_do_not_fit_are_refused()
    {
        Assert.Throws<BerthException>(() => NftAddress.Parse("10.0.0.300"));
        Assert.Throws<BerthException>(() => NftPrefix.Parse("10.0.0.0/33"));
        Assert.Throws<BerthException>(() => NftMac.Parse("02:42:ac"));
        Assert.Throws<BerthException>(() => new NftRange(new NftPort(1), new NftInteger(2)));
        Assert.Throws<BerthException>(() => new NftConcat(new NftPort(1)));
        Assert.Throws<BerthException>(() => new NftElement(NftVerdict.Accept));
        Assert.Throws<BerthException>(() => new NftCtStateValue(NftCtState.None));
        Assert.Throws<BerthException>(() => NftProtocol.Parse("tcp; flush ruleset"));
        Assert.Throws<BerthException>(() => new NftRule());
        Assert.Throws<BerthException>(() => NftType.Of(NftBasicType.Ipv4Addr, NftBasicType.Verdict));
        Assert.Throws<BerthException>(() => new NftSet("s", NftType.Verdict));
    }

    [Fact]
    public void Map_elements_must_fit_the_map()
    {
        var e = Assert.Throws<BerthException>(() => new NftMap("portmap", NftType.InetService, NftType.Ipv4Addr, elements: [new NftElement(new NftPort(80))]));
        Assert.Contains("portmap", e.Message, StringComparison.Ordinal);
        Assert.Throws<BerthException>(() => NftMap.Verdicts("v", NftType.Ifname, [new NftElement(new NftInterfaceName("br0"), new NftPort(1))]));
    }

    [Fact]
    public void Tables_with_duplicate_names_are_refused()
    {
        var e = Assert.Throws<BerthException>(() => new NftTable(new NftTableRef(NftFamily.Inet, "berth"), chains: [new NftChain("a"), new NftChain("a")]));
        Assert.Contains("\"a\" twice", e.Message, StringComparison.Ordinal);
        Assert.Throws<BerthException>(() => new NftTable(default));
        Assert.Throws<BerthException>(() => new NftBatch().FlushChain(default, "x"));
    }

    [Fact]
    public void Empty_element_lists_are_refused()
    {
        Assert.Throws<BerthException>(() => new NftBatch().AddElements(new NftTableRef(NftFamily.Inet, "berth"), "s", []));
    }

    [Fact]
    public void List_json_accepts_only_single_list_commands()
    {
        NftablesContext.ValidateListCommand("list table inet berth");
        Assert.Throws<BerthException>(() => NftablesContext.ValidateListCommand("flush ruleset"));
        Assert.Throws<BerthException>(() => NftablesContext.ValidateListCommand("list tables; flush ruleset"));
        Assert.Throws<BerthException>(() => NftablesContext.ValidateListCommand("list tables\nflush ruleset"));
    }
}
