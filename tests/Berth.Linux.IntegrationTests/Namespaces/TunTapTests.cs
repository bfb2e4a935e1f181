using Berth.Core.Errors;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;

namespace Berth.Linux.IntegrationTests.Namespaces;

public sealed class TunTapTests : LabTest
{
    [RootFact]
    public void Tap_CreatedViaRunner_IsVisibleInsideTheLabHostOnly()
    {
        LabHost host = NewLab().AddHost("vm");
        using NetnsHandle netns = NetnsHandle.Open(host.NetnsPath);

        Runner.Run(netns, () =>
        {
            TunTap.CreatePersistentTap("tap0");
            return true;
        });

        string shown = host.Ip("-d", "link", "show", "tap0");
        Assert.Contains("tap0", shown, StringComparison.Ordinal);
        Assert.Contains("tun type tap", shown, StringComparison.Ordinal);
        Assert.False(Cmd.Run("ip", "link", "show", "tap0").Succeeded);
    }

    [RootFact]
    public void Tap_NameTaken_IsConflict()
    {
        LabHost host = NewLab().AddHost("vm");
        using NetnsHandle netns = NetnsHandle.Open(host.NetnsPath);
        Runner.Run(netns, () =>
        {
            TunTap.CreatePersistentTap("tap0");
            return true;
        });

        var again = Assert.ThrowsAny<BerthException>(() => Runner.Run(netns, () =>
        {
            TunTap.CreatePersistentTap("tap0");
            return true;
        }));
        var lo = Assert.ThrowsAny<BerthException>(() => Runner.Run(netns, () =>
        {
            TunTap.CreatePersistentTap("lo");
            return true;
        }));

        Assert.Equal(ErrorKind.Conflict, again.Kind);
        Assert.Contains("\"tap0\"", again.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.Conflict, lo.Kind);
    }

    [RootFact]
    public void Tap_NameTooLong_IsInvalidArgument()
    {
        var error = Assert.ThrowsAny<BerthException>(() => TunTap.CreatePersistentTap("a-very-long-tap-name"));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }
}
