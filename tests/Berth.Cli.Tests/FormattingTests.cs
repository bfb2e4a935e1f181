using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Client;
using Berth.Cli.Commands;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Tests;

public class FormattingTests
{
    private static List<Network> Networks() => JsonSerializer.Deserialize(FakeDaemon.NetworksJson, DockerJsonContext.Default.ListNetwork)!;

    private static string Ls(string format, bool quiet = false, bool truncate = true)
    {
        var template = NetworkLsCommand.ParseFormat(NetworkLsCommand.FormatFor(format, quiet), out var isTable);
        return NetworkLsCommand.Render(Networks(), template, isTable, truncate);
    }

    // Expected texts are what docker 28.2.2 printed for the same daemon answer.
    [Fact]
    public void NoTruncTableMatchesDocker() => Assert.Equal(
        "NETWORK ID                                                         NAME                            DRIVER    SCOPE\n" +
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef   a-very-long-network-name-here   macvlan   local\n" +
        "f0e1d2c3b4a5968778695a4b3c2d1e0f0e1d2c3b4a5968778695a4b3c2d1e0f    bridge                          bridge    local\n" +
        "aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999   host                            host      local\n",
        Ls("", truncate: false));

    [Fact]
    public void CustomTableMatchesDocker() => Assert.Equal(
        "NAME                            IPV6      LABELS        CREATED AT\n" +
        "a-very-long-network-name-here   true      a=b,foo=bar   2025-03-04 05:06:07.5 +0000 UTC\n" +
        "bridge                          false                   2025-01-02 03:04:05.123456789 +0000 UTC\n" +
        "host                            false                   2025-01-02 03:04:05 +0000 UTC\n",
        Ls(@"table {{.Name}}\t{{.IPv6}}\t{{.Labels}}\t{{.CreatedAt}}"));

    [Fact]
    public void HeaderFunctionsPassTheTitleThrough() => Assert.Equal(
        "NAME                            NETWORK ID       DRIVER    foo       IPV4\n" +
        "a-very-long-network-name-here   \"0123456789ab\"   MACVLAN   bar       false\n" +
        "bridge                          \"f0e1d2c3b4a5\"   BRIDGE              false\n" +
        "host                            \"aaaabbbbcccc\"   HOST                false\n",
        Ls(@"table {{.Name}}\t{{json .ID}}\t{{upper .Driver}}\t{{.Label ""foo""}}\t{{.IPv4}}"));

    [Fact]
    public void NonTableFormatKeepsTabs() =>
        Assert.Equal("a-very-long-network-name-here\ttrue\nbridge\tfalse\nhost\tfalse\n", Ls(@"{{.Name}}\t{{.Internal}}"));

    [Fact]
    public void JsonFormatPrintsEveryFieldAsAString() => Assert.StartsWith(
        """{"CreatedAt":"2025-03-04 05:06:07.5 +0000 UTC","Driver":"macvlan","ID":"0123456789ab","IPv4":"false","IPv6":"true","Internal":"true","Labels":"a=b,foo=bar","Name":"a-very-long-network-name-here","Scope":"local"}""" + "\n",
        Ls("json"));

    [Fact]
    public void TableWithNoRowsPrintsTheHeader() => Assert.Equal(
        "NETWORK ID   NAME      DRIVER    SCOPE\n",
        NetworkLsCommand.Render([], NetworkLsCommand.ParseFormat(NetworkLsCommand.DefaultTableFormat, out _), isTable: true, truncate: true));

    [Fact]
    public void TabWriterRestartsColumnsAfterALineWithoutTabs() =>
        Assert.Equal("a         b\nno tabs here\nlonger-cell  c\n", TabWriter.Format("a\tb\nno tabs here\nlonger-cell\tc\n", 10, 2));

    [Fact]
    public void NamesSortNaturally() =>
        Assert.Equal(["Net1", "net2", "net10"], new[] { "net10", "Net1", "net2" }.OrderBy(n => n, NaturalOrder.Instance).ToArray());

    private static readonly string[] CreateFlags =
    [
        "--subnet", "10.213.0.0/16", "--gateway", "10.213.0.1", "--ip-range", "10.213.5.0/24", "--aux-address", "host1=10.213.0.5",
        "-o", "com.docker.network.bridge.name=brtest1", "-o", "com.docker.network.driver.mtu=1400", "--label", "foo=bar", "testnet1",
    ];

    private static string CreateJson(params string[] args)
    {
        var parsed = ArgParser.Parse(args, new NetworkCreateCommand().Flags, "berth network create", "");
        return JsonSerializer.Serialize(NetworkCreateCommand.BuildRequest(parsed), CliJsonContext.Default.NetworkCreateClientRequest);
    }

    /// <summary>docker-api.md §2.1, minus CheckDuplicate, which CLI 28 leaves out at API 1.44 and later.</summary>
    [Fact]
    public void CreateBodyMatchesDockersForTheSameFlags() => Assert.Equal(
        """{"Driver":"bridge","Scope":"","IPAM":{"Driver":"default","Options":{},"Config":[{"Subnet":"10.213.0.0/16","IPRange":"10.213.5.0/24","Gateway":"10.213.0.1","AuxiliaryAddresses":{"host1":"10.213.0.5"}}]},"Internal":false,"Attachable":false,"Ingress":false,"ConfigOnly":false,"ConfigFrom":null,"Options":{"com.docker.network.bridge.name":"brtest1","com.docker.network.driver.mtu":"1400"},"Labels":{"foo":"bar"},"Name":"testnet1"}""",
        CreateJson(CreateFlags));

    [Fact]
    public void CreatePairsSubnetsPositionallyAndSetsEveryFlag() => Assert.Equal(
        """{"Driver":"overlay","Scope":"","EnableIPv6":true,"IPAM":{"Driver":"foo","Options":{"a":"b"},"Config":[{"Subnet":"10.1.0.0/16"},{"Subnet":"10.2.0.0/16","Gateway":"10.2.0.1"}]},"Internal":true,"Attachable":true,"Ingress":false,"ConfigOnly":false,"ConfigFrom":null,"Options":{"encrypted":""},"Labels":{"x":""},"Name":"n2"}""",
        CreateJson("-d", "overlay", "--attachable", "--opt", "encrypted", "--subnet", "10.1.0.0/16", "--subnet", "10.2.0.0/16", "--gateway", "10.2.0.1",
            "--ipv6", "--internal", "--ipam-driver", "foo", "--ipam-opt", "a=b", "--label", "x", "n2"));

    [Fact]
    public void HostAddressIsShorthandForTheMacvlanShimOption() => Assert.Contains(
        "\"Options\":{\"parent\":\"eth0\",\"berth.macvlan.host_address\":\"192.168.1.240\"}",
        CreateJson("-d", "macvlan", "-o", "parent=eth0", "--host-address", "192.168.1.240", "x"),
        StringComparison.Ordinal);

    [Fact]
    public void ExplicitIpv6FalseIsSent() => Assert.Contains("\"EnableIPv6\":false", CreateJson("--ipv6=false", "x"), StringComparison.Ordinal);

    [Theory]
    [InlineData("every ip-range or gateway must have a corresponding subnet", "--gateway", "10.2.0.1", "x")]
    [InlineData("no matching subnet for range 10.9.0.0/24", "--subnet", "10.1.0.0/16", "--ip-range", "10.9.0.0/24", "x")]
    [InlineData("multiple overlapping subnet configuration is not supported", "--subnet", "10.1.0.0/16", "--subnet", "10.1.2.0/24", "x")]
    public void BadIpamFlagsFailWithDockersWords(string message, params string[] args) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => CreateJson(args)).Message);

    [Theory]
    [InlineData("unix:///flag.sock", "unix:///berth.sock", "unix:///docker.sock", "unix:///flag.sock")]
    [InlineData(null, "unix:///berth.sock", "unix:///docker.sock", "unix:///berth.sock")]
    [InlineData(null, "", "unix:///docker.sock", "unix:///docker.sock")]
    [InlineData(null, null, null, "unix:///run/berth/berth.sock")]
    [InlineData("tcp://127.0.0.1:2375", null, null, "tcp://127.0.0.1:2375")]
    public void HostResolutionOrder(string? flag, string? berthHost, string? dockerHost, string expected)
    {
        var host = DaemonHost.Resolve(flag, name => name switch
        {
            "BERTH_HOST" => berthHost,
            "DOCKER_HOST" => dockerHost,
            _ => null,
        });

        Assert.Equal(expected, host.Uri);
    }

    [Fact]
    public void ArgParserHandlesDockerStyles()
    {
        var parsed = ArgParser.Parse(["-qf", "name=a", "--filter=driver=b", "pos", "--no-trunc=false", "--", "-x"], new NetworkLsCommand().Flags, "c", "u");

        Assert.Equal(["name=a", "driver=b"], parsed.All("filter"));
        Assert.True(parsed.IsSet("quiet"));
        Assert.False(parsed.IsSet("no-trunc"));
        Assert.Equal(["pos", "-x"], parsed.Positionals);
    }
}
