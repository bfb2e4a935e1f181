using System.Collections.Immutable;
using Berth.Cli.Commands.Compose;
using Berth.Compose.Model;

namespace Berth.Cli.Tests.Compose;

/// <summary>The <c>POST /build</c> query <c>berth compose build</c> and <c>up</c> send for a service's <c>build:</c>.</summary>
public sealed class ComposeBuildQueryTests
{
    private static readonly ComposeService Api = new()
    {
        Name = "api",
        Image = "shop_api",
        Build = new ComposeBuild
        {
            Context = "/src/shop/api",
            Dockerfile = "docker/Dockerfile",
            Args = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("VERSION", "1"), KeyValuePair.Create("MODE", "dev")]),
            Target = "runtime",
            Labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("team", "backend")]),
            Network = "host",
            ExtraHosts = ["mirror:10.0.0.5", "cache:10.0.0.6"],
        },
    };

    [Fact]
    public void EveryBuildFieldBecomesItsQueryParameterAndTheImageIsTheTag() => Assert.Equal(
        ["dockerfile=docker%2FDockerfile", "t=shop_api", "buildargs=%7B%22MODE%22%3A%22dev%22%2C%22VERSION%22%3A%221%22%7D",
         "labels=%7B%22team%22%3A%22backend%22%7D", "rm=1", "target=runtime", "networkmode=host", "extrahosts=mirror%3A10.0.0.5%2Ccache%3A10.0.0.6"],
        ComposeEngine.BuildQuery(Api, Api.Build!, BuildOptions.Default));

    [Fact]
    public void FlagsOverrideArgsAndAddNoCachePullAndQuiet()
    {
        var options = new BuildOptions(new Dictionary<string, string?> { ["VERSION"] = "2" }) { NoCache = true, Pull = true, Quiet = true };
        var plain = Api with { Build = new ComposeBuild { Context = "/src", Args = Api.Build!.Args } };

        Assert.Equal(
            ["dockerfile=Dockerfile", "t=shop_api", "buildargs=%7B%22MODE%22%3A%22dev%22%2C%22VERSION%22%3A%222%22%7D", "labels=%7B%7D", "rm=1", "nocache=1", "pull=1", "q=1"],
            ComposeEngine.BuildQuery(plain, plain.Build!, options));
    }
}
