using Berth.Core.Errors;
using Berth.Runtime.Engine;

namespace Berth.Runtime.Tests.Engine;

public sealed class SecurityOptionsTests
{
    [Fact]
    public void NothingGivenMeansTheDefaultFilterAndPrivilegesAsUsual()
    {
        Assert.Equal(new SecurityOptions(Seccomp: true, NoNewPrivileges: false), SecurityOptions.Parse([]));
    }

    [Theory]
    [InlineData("seccomp=unconfined")]
    [InlineData("seccomp:unconfined")]
    public void UnconfinedTurnsTheFilterOff(string option)
    {
        Assert.False(SecurityOptions.Parse([option]).Seccomp);
    }

    [Fact]
    public void NoNewPrivilegesAndTheModulesThisHostLacksAreAccepted()
    {
        var parsed = SecurityOptions.Parse(["no-new-privileges", "apparmor=unconfined", "label=disable"]);
        Assert.Equal(new SecurityOptions(Seccomp: true, NoNewPrivileges: true), parsed);
        Assert.False(SecurityOptions.Parse(["no-new-privileges=true", "no-new-privileges:false"]).NoNewPrivileges);
    }

    [Fact]
    public void EveryBadOptionIsNamedInOneError()
    {
        var error = Assert.Throws<BerthException>(() => SecurityOptions.Parse(["seccomp={\"defaultAction\":\"SCMP_ACT_ERRNO\"}", "bogus"]));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("only seccomp=unconfined is supported", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid --security-opt \"bogus\"", error.Message, StringComparison.Ordinal);
    }
}
