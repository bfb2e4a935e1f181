using Berth.Core.Errors;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests.Containers;

public sealed class CapabilitiesTests
{
    [Fact]
    public void NoChangesGiveDockersDefaultSetInNumberOrder()
    {
        var set = Capabilities.Resolve([], []);
        Assert.Equal(OciSpecBuilder.DefaultCapabilities.Order(), set.Order());
        Assert.Equal(set.OrderBy(c => Capabilities.All.IndexOf(c)), set);
    }

    [Fact]
    public void AddAndDropAcceptDockersSpellings()
    {
        var set = Capabilities.Resolve(["net_admin", "CAP_SYS_TIME"], ["NET_RAW", "cap_mknod"]);
        Assert.Contains("CAP_NET_ADMIN", set);
        Assert.Contains("CAP_SYS_TIME", set);
        Assert.DoesNotContain("CAP_NET_RAW", set);
        Assert.DoesNotContain("CAP_MKNOD", set);
        Assert.Equal(OciSpecBuilder.DefaultCapabilities.Length, set.Length);
    }

    [Fact]
    public void AllWorksOnBothSides()
    {
        Assert.Equal<string>(Capabilities.All, Capabilities.Resolve(["ALL"], []));
        Assert.Equal<string>(["CAP_NET_ADMIN"], Capabilities.Resolve(["NET_ADMIN"], ["ALL"]));
    }

    [Fact]
    public void UnknownNamesAreReportedTogether()
    {
        var error = Assert.Throws<BerthException>(() => Capabilities.Resolve(["NET_ADMN"], ["bogus"]));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("\"NET_ADMN\", \"bogus\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHeldCapabilityLiftsTheSeccompDenialsItGuards()
    {
        var plain = SeccompProfile.Default(OciSpecBuilder.DefaultCapabilities);
        var admin = SeccompProfile.Default([.. OciSpecBuilder.DefaultCapabilities, "CAP_SYS_ADMIN", "CAP_SYS_TIME"]);
        Assert.Contains("mount", plain.Syscalls[0].Names);
        Assert.DoesNotContain("mount", admin.Syscalls[0].Names);
        Assert.DoesNotContain("settimeofday", admin.Syscalls[0].Names);
        Assert.Contains("keyctl", admin.Syscalls[0].Names);
        Assert.DoesNotContain(admin.Syscalls, r => r.Names.Contains("clone"));
        Assert.Equal(7, plain.Syscalls.Count(r => r.Names.Contains("clone")));
    }
}
