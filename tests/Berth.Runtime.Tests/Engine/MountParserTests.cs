using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Runtime.Engine;

namespace Berth.Runtime.Tests.Engine;

public sealed class MountParserTests
{
    [Theory]
    [InlineData("/host:/ctr", "bind", "/host", "/ctr", false, "")]
    [InlineData("/host/:/ctr/sub/:ro", "bind", "/host", "/ctr/sub", true, "ro")]
    [InlineData("data:/var/lib/data", "volume", "data", "/var/lib/data", false, "")]
    [InlineData("data:/d:ro,nocopy", "volume", "data", "/d", true, "ro,nocopy")]
    [InlineData("/only/target", "volume", "", "/only/target", false, "")]
    [InlineData("/h:/c:rprivate", "bind", "/h", "/c", false, "rprivate")]
    public void BindStringsParseAsDockerParsesThem(string raw, string type, string source, string target, bool readOnly, string mode)
    {
        var spec = MountParser.ParseBind(raw);
        Assert.Equal((type, source, target, readOnly, mode), (spec.Type, spec.Source, spec.Target, spec.ReadOnly, spec.Mode));
        Assert.True(spec.FromBindString);
    }

    [Theory]
    [InlineData(":/ctr", "invalid volume specification: ':/ctr'")]
    [InlineData("/ctr:ro", "invalid volume specification: '/ctr:ro'")]
    [InlineData("a:/b:c:d", "invalid volume specification: 'a:/b:c:d'")]
    [InlineData("data:/d:bogus", "invalid mode: bogus")]
    [InlineData("data:/d:ro,rw", "invalid mode: ro,rw")]
    [InlineData("data:relative", "invalid volume specification: 'data:relative': invalid mount config for type \"volume\": invalid mount path: 'relative' mount path must be absolute")]
    [InlineData("/h:/", "invalid volume specification: '/h:/': invalid mount config for type \"bind\": invalid specification: destination can't be '/'")]
    [InlineData("/h:/c:rshared", "invalid volume specification: '/h:/c:rshared': invalid mount config for type \"bind\": propagation \"rshared\" is not supported by Berth (binds are rprivate); leave it out")]
    [InlineData("vol:/c:rprivate", "invalid volume specification: 'vol:/c:rprivate': invalid mount config for type \"volume\": field BindOptions must not be specified")]
    public void BadBindStringsAreRefusedWithDockersMessages(string raw, string message)
    {
        var error = Assert.Throws<BerthException>(() => MountParser.ParseBind(raw));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void PlanPutsBindsThenMountsThenAnonymousVolumesOnFreeDestinations()
    {
        var spec = new ContainerCreateSpec
        {
            Image = "bb",
            Binds = ["named:/data", "/host:/etc/conf:ro"],
            Mounts = [new MountSpec { Type = "volume", Target = "/cache/" }],
            Volumes = ["/scratch", "/data"],
        };

        var plan = MountParser.Plan(spec, ["/var/lib/db", "/scratch"]);

        Assert.Equal(["/data", "/etc/conf", "/cache", "/scratch", "/var/lib/db"], plan.Select(m => m.Target));
        Assert.Equal([false, false, false, true, true], plan.Select(m => m.Implicit));
        Assert.Equal("named", plan[0].Source);
        Assert.Equal("", plan[2].Source);
    }

    [Fact]
    public void ADestinationTwiceIsRefused()
    {
        var spec = new ContainerCreateSpec { Image = "bb", Binds = ["a:/d"], Mounts = [new MountSpec { Type = "volume", Source = "b", Target = "/d/" }] };
        Assert.Equal("Duplicate mount point: /d/", Assert.Throws<BerthException>(() => MountParser.Plan(spec, [])).Message);
    }

    [Fact]
    public void MountsAreCheckedAsDockerChecksThem()
    {
        static string Refusal(MountSpec mount) => Assert.Throws<BerthException>(() => MountParser.Validate(mount)).Message;

        Assert.Equal("invalid mount config for type \"bind\": bind source path does not exist: /no/such/dir",
            Refusal(new MountSpec { Type = "bind", Source = "/no/such/dir", Target = "/b" }));
        Assert.Equal("invalid mount config for type \"bind\": field Source must not be empty", Refusal(new MountSpec { Type = "bind", Target = "/b" }));
        Assert.Equal("invalid mount config for type \"volume\": field Target must not be empty", Refusal(new MountSpec { Type = "volume", Source = "v", Target = "" }));
        Assert.Equal("invalid mount config for type \"npipe\": mounts of type \"npipe\" are not supported by Berth; use type=volume, type=bind or type=tmpfs",
            Refusal(new MountSpec { Type = "npipe", Target = "/t" }));
        Assert.Equal("invalid mount config for type \"tmpfs\": field Source must not be specified",
            Refusal(new MountSpec { Type = "tmpfs", Source = "x", Target = "/t" }));
        Assert.Equal("/t", MountParser.Validate(new MountSpec { Type = "tmpfs", Target = "/t/", TmpfsSize = 1 << 20 }).Target);
        Assert.Equal("invalid mount config for type \"weird\": mount type unknown", Refusal(new MountSpec { Type = "weird", Target = "/t" }));

        // bind-create-src: a missing source is fine; an existing one always is.
        Assert.Equal("/tmp", MountParser.Validate(new MountSpec { Type = "bind", Source = "/tmp/", Target = "/t" }).Source);
        Assert.True(MountParser.Validate(new MountSpec { Type = "bind", Source = "/no/such", Target = "/t", CreateMountpoint = true }).CreateMountpoint);
        Assert.Equal(ImmutableDictionary<string, string>.Empty.Add("a", "b"),
            MountParser.Validate(new MountSpec { Type = "volume", Target = "/v", VolumeLabels = ImmutableDictionary<string, string>.Empty.Add("a", "b") }).VolumeLabels);
    }

    [Theory]
    [InlineData("/a/b/../c/./d/", "/a/c/d")]
    [InlineData("/../x", "/x")]
    [InlineData("//", "/")]
    [InlineData("a/../../b", "../b")]
    [InlineData("", ".")]
    public void CleanIsGosPathClean(string path, string clean) => Assert.Equal(clean, MountParser.Clean(path));
}
