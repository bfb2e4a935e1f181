using System.Text.Json;
using Berth.Core.Errors;
using Berth.Core.Networks;

namespace Berth.Runtime.Tests.Engine;

/// <summary>HostConfig.NetworkMode parsed once: every spelling Docker knows, back to the same text, and the JSON of old records.</summary>
public sealed class NetworkModeTests
{
    [Theory]
    [InlineData("default", NetworkModeKind.Default, null, "bridge")]
    [InlineData("bridge", NetworkModeKind.Bridge, null, "bridge")]
    [InlineData("host", NetworkModeKind.Host, null, null)]
    [InlineData("none", NetworkModeKind.None, null, null)]
    [InlineData("container:web", NetworkModeKind.Container, "web", null)]
    [InlineData("backnet", NetworkModeKind.Network, "backnet", "backnet")]
    public void Each_spelling_parses_to_its_kind_and_prints_back(string text, NetworkModeKind kind, string? target, string? implied)
    {
        var mode = NetworkMode.Parse(text);
        Assert.Equal(kind, mode.Kind);
        Assert.Equal(target, mode.Target);
        Assert.Equal(implied, mode.ImpliedNetwork);
        Assert.Equal(text, mode.ToString());
        Assert.Equal(mode, NetworkMode.Parse(mode.ToString()));
    }

    [Fact]
    public void Empty_is_the_default_and_only_a_named_network_is_user_defined()
    {
        Assert.Equal(NetworkMode.Default, NetworkMode.Parse(""));
        Assert.Equal(NetworkMode.Default, NetworkMode.Parse(null));
        Assert.True(NetworkMode.Parse("backnet").IsUserDefined);
        Assert.All(new[] { "default", "bridge", "host", "none", "container:x" }, text => Assert.False(NetworkMode.Parse(text).IsUserDefined));
        Assert.False(NetworkMode.Parse("host").HasOwnNamespace);
        Assert.False(NetworkMode.Parse("container:x").HasOwnNamespace);
        Assert.True(NetworkMode.Parse("none").HasOwnNamespace);
    }

    [Fact]
    public void Container_without_a_container_is_an_invalid_argument()
    {
        var error = Assert.Throws<BerthException>(() => NetworkMode.Parse("container:"));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void Json_is_the_docker_string_so_old_records_load()
    {
        Assert.Equal("\"container:db\"", JsonSerializer.Serialize(NetworkMode.Container("db")));
        Assert.Equal(NetworkMode.Parse("backnet"), JsonSerializer.Deserialize<NetworkMode>("\"backnet\""));
        var spec = JsonSerializer.Deserialize<Berth.Runtime.Engine.ContainerCreateSpec>("""{"Image":"bb","NetworkMode":"container:db"}""")!;
        Assert.Equal(NetworkModeKind.Container, spec.NetworkMode.Kind);
        Assert.Equal("db", spec.NetworkMode.Target);
    }
}
