using System.Text.Json;
using Berth.Cli.Templates;

namespace Berth.Cli.Tests;

public class TemplateTests
{
    private const string Network = """
        {"Name":"bridge","Id":"f0e1d2","Created":"2025-01-02T03:04:05.123456789Z","Driver":"bridge",
         "IPAM":{"Driver":"default","Options":null,"Config":[{"Subnet":"172.17.0.0/16","Gateway":"172.17.0.1"},{"Subnet":"fd00::/64"}]},
         "Internal":false,"Options":{"b":"2","a":"1"},"Labels":{"com.example":"x y"},"Count":3}
        """;

    private static string Run(string template, string json = Network)
    {
        using var document = JsonDocument.Parse(json);
        return GoTemplate.Parse(template).Execute(document.RootElement.Clone());
    }

    [Theory]
    [InlineData("{{.Name}}", "bridge")]
    [InlineData("{{.IPAM.Driver}}", "default")]
    [InlineData("x{{.Name}}y{{.Driver}}z", "xbridgeybridgez")]
    [InlineData("{{range .IPAM.Config}}{{.Subnet}};{{end}}", "172.17.0.0/16;fd00::/64;")]
    [InlineData("{{range $i, $c := .IPAM.Config}}{{$i}}={{$c.Subnet}} {{end}}", "0=172.17.0.0/16 1=fd00::/64 ")]
    [InlineData("{{range $k, $v := .Options}}{{$k}}:{{$v}},{{end}}", "a:1,b:2,")]
    [InlineData("{{range .IPAM.Options}}x{{else}}none{{end}}", "none")]
    [InlineData("{{index .Labels \"com.example\"}}", "x y")]
    [InlineData("{{index .Labels \"missing\"}}", "<nil>")]
    [InlineData("{{json .IPAM}}", """{"Driver":"default","Options":null,"Config":[{"Subnet":"172.17.0.0/16","Gateway":"172.17.0.1"},{"Subnet":"fd00::/64"}]}""")]
    [InlineData("{{json .Name}}", "\"bridge\"")]
    [InlineData("{{.Options}}", "map[a:1 b:2]")]
    [InlineData("{{.Internal}} {{.Count}}", "false 3")]
    [InlineData("{{upper .Name}} {{lower \"AB\"}} {{title \"foo bar\"}}", "BRIDGE ab Foo Bar")]
    [InlineData("{{.Name | upper}}", "BRIDGE")]
    [InlineData("{{if .Internal}}yes{{else if eq .Driver \"bridge\"}}br{{else}}no{{end}}", "br")]
    [InlineData("{{with .IPAM}}{{.Driver}}{{end}}", "default")]
    [InlineData("{{$n := .Name}}{{$n}}!", "bridge!")]
    [InlineData("{{len .IPAM.Config}} {{len .Name}}", "2 6")]
    [InlineData("{{join (split \"a,b,c\" \",\") \"|\"}}", "a|b|c")]
    [InlineData("{{truncate .Id 3}}|{{pad .Name 1 2}}|", "f0e| bridge  |")]
    [InlineData("{{printf \"%-8s|%d\" .Name .Count}}", "bridge  |3")]
    [InlineData("{{- .Name -}}  \n", "bridge")]
    [InlineData("a {{- /* comment */ -}} b", "ab")]
    [InlineData("{{(index .IPAM.Config 1).Subnet}}", "fd00::/64")]
    [InlineData("{{not .Internal}} {{and .Name .Driver}} {{or .Internal .Name}}", "true bridge bridge")]
    [InlineData("{{\"}}\"}}", "}}")]
    public void RendersEachConstruct(string template, string expected) => Assert.Equal(expected, Run(template));

    [Fact]
    public void JsonOfTheWholeObjectIsCompactAndKeepsKeyOrder() =>
        Assert.Equal("""{"a":"<b>","z":[1,true,null]}""", Run("{{json .}}", """{ "a" : "<b>", "z": [1, true, null] }"""));

    [Theory]
    [InlineData("{{.Name", "template: :1: unclosed action")]
    [InlineData("{{nofunc .Name}}", "template: :1: function \"nofunc\" not defined")]
    [InlineData("{{end}}", "template: :1: unexpected {{end}}")]
    [InlineData("{{if .Name}}x", "template: :1: unexpected EOF")]
    [InlineData("{{}}", "template: :1: missing value for command")]
    [InlineData("{{$x}}", "template: :1: undefined variable \"$x\"")]
    [InlineData("a\n{{.Name", "template: :2: unclosed action")]
    public void BadTemplatesFailToParseWithGoWording(string template, string message)
    {
        var e = Assert.Throws<TemplateException>(() => GoTemplate.Parse(template));
        Assert.True(e.IsParseError);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("{{.Nope}}", "template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\"")]
    [InlineData("x {{.IPAM.Nope}}", "template: :1:4: executing \"\" at <.IPAM.Nope>: map has no entry for key \"Nope\"")]
    [InlineData("{{upper .Count}}", "template: :1:2: executing \"\" at <upper>: error calling upper: wrong type for value; expected string; got int")]
    [InlineData("{{upper}}", "template: :1:2: executing \"\" at <upper>: wrong number of args for upper: want 1 got 0")]
    [InlineData("{{range .Name}}{{end}}", "template: :1:8: executing \"\" at <bridge>: range can't iterate over bridge")]
    public void ExecutionErrorsNameThePositionAndNode(string template, string message)
    {
        var e = Assert.Throws<TemplateException>(() => Run(template));
        Assert.False(e.IsParseError);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("2025-01-02T03:04:05.123456789Z", "2025-01-02 03:04:05.123456789 +0000 UTC")]
    [InlineData("2025-03-04T05:06:07.5Z", "2025-03-04 05:06:07.5 +0000 UTC")]
    [InlineData("2025-01-02T03:04:05Z", "2025-01-02 03:04:05 +0000 UTC")]
    [InlineData("2025-01-02T03:04:05.100+02:00", "2025-01-02 03:04:05.1 +0200 +0200")]
    [InlineData("", "0001-01-01 00:00:00 +0000 UTC")]
    public void TimesPrintLikeGo(string rfc3339, string expected) => Assert.Equal(expected, GoTime.Format(rfc3339));

    [Fact]
    public void IndentMatchesGoJsonIndent() =>
        Assert.Equal("[\n    {\n        \"a\": {},\n        \"b\": [],\n        \"c\": [\n            1,\n            \"x, y\"\n        ]\n    }\n]",
            GoJson.Indent("""[{"a":{},"b":[ ],"c":[1,"x, y"]}]""", "    "));
}
