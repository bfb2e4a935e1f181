using Berth.Api.Contracts;
using Berth.Cli.Commands;

namespace Berth.Cli.Tests;

public sealed class InfoRenderTests
{
    [Fact]
    public void SecurityOptionsAreListedAsTheDockerCliListsThem()
    {
        var info = new InfoResponse { SecurityOptions = ["name=seccomp,profile=builtin", "name=cgroupns", "name=userns"], DockerRootDir = "/var/lib/berth/100000.100000" };
        string text = InfoCommand.Render(info, "unix:///run/berth/berth.sock");
        Assert.Contains(" Security Options:\n  seccomp\n   Profile: builtin\n  cgroupns\n  userns\n Kernel Version:", text, StringComparison.Ordinal);
        Assert.Contains(" Docker Root Dir: /var/lib/berth/100000.100000\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Security Options", InfoCommand.Render(new InfoResponse(), "unix:///x"), StringComparison.Ordinal);
    }
}
