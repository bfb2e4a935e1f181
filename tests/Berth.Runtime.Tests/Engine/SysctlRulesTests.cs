using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Runtime.Engine;

namespace Berth.Runtime.Tests.Engine;

public sealed class SysctlRulesTests
{
    private static ContainerCreateSpec With(string name, string value = "1", NetworkMode? mode = null, NamespaceModes? namespaces = null) => new()
    {
        Image = "bb",
        Sysctls = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>(name, value)]),
        NetworkMode = mode ?? NetworkMode.Default,
        Namespaces = namespaces ?? NamespaceModes.Default,
    };

    [Theory]
    [InlineData("net.ipv4.ip_forward")]
    [InlineData("net.core.somaxconn")]
    [InlineData("kernel.shmmax")]
    [InlineData("kernel.msgmnb")]
    [InlineData("kernel.sem")]
    [InlineData("fs.mqueue.msg_max")]
    [InlineData("kernel.domainname")]
    public void TheContainersOwnNamespacesSettingsAreAllowed(string name) => SysctlRules.Validate(With(name));

    [Theory]
    [InlineData("kernel.panic")]
    [InlineData("vm.swappiness")]
    [InlineData("fs.file-max")]
    [InlineData("kernel.hostname")]
    public void HostWideSettingsAreRefusedNamingThem(string name)
    {
        var e = Assert.Throws<BerthException>(() => SysctlRules.Validate(With(name)));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"sysctl \"{name}\" is not in a separate kernel namespace", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANamespaceSharedWithTheHostTakesNoSettings()
    {
        Assert.Contains("not allowed in host network namespace",
            Assert.Throws<BerthException>(() => SysctlRules.Validate(With("net.core.somaxconn", mode: NetworkMode.Host))).Message, StringComparison.Ordinal);
        Assert.Contains("not allowed with host ipc namespace enabled",
            Assert.Throws<BerthException>(() => SysctlRules.Validate(With("kernel.shmmax", namespaces: NamespaceModes.Default with { Ipc = NamespaceModes.Host }))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("net/../kernel.panic", "1")]
    [InlineData("net.a..b", "1")]
    [InlineData("net.core.somaxconn", "1\n2")]
    public void MalformedNamesAndValuesAreRefused(string name, string value) =>
        Assert.Contains("invalid sysctl", Assert.Throws<BerthException>(() => SysctlRules.Validate(With(name, value))).Message, StringComparison.Ordinal);
}
