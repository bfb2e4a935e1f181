using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;

namespace Berth.Linux.IntegrationTests.Namespaces;

/// <summary>
/// A network namespace made in a user namespace of a mapping (berthd's <c>--userns-remap</c>): entered user namespace
/// first, as <c>runc exec</c> enters, which works only when the user namespace owns the network one.
/// </summary>
public sealed class OwnedNetworkNamespaceTests : LabTest
{
    private static readonly IdentityMapping Mapping = new([new(0, 300000, 65536)], [new(0, 400000, 65536)]);

    [RootFact]
    public void TheUserNamespaceOwnsTheNetworkNamespaceAndBothGoTogether()
    {
        using (var made = NetworkNamespace.CreateOwned(Manager, "owned", Mapping))
        {
            made.Links.SetUp("lo");
        }

        string net = Manager.PathOf("owned");
        string user = NamespaceManager.UserNamespacePathFor(net);
        Assert.Equal(Path.Combine(TestRoot, "userns", "owned"), user);

        // The kernel's word on ownership (ioctl NS_GET_USERNS), then the maps as seen from inside.
        using (var handle = NetnsHandle.Open(net))
        {
            Assert.Equal(InodeOf(user), OwnerInode(handle));
        }

        using (var plain = Manager.Create("plain"))
        {
            Assert.Equal(InodeOf("/proc/self/ns/user"), OwnerInode(plain));
        }

        var inside = Cmd.Run("nsenter", $"--user={user}", $"--net={net}", "sh", "-c", "cat /proc/self/uid_map /proc/self/gid_map; ip -o link show lo");
        Assert.True(inside.Succeeded, inside.ToString());
        string[] lines = inside.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["0", "300000", "65536"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["0", "400000", "65536"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("state UNKNOWN", lines[2], StringComparison.Ordinal);

        Manager.Delete("owned");
        Manager.Delete("plain");
        Assert.False(File.Exists(user));
        Assert.DoesNotContain(LeakGuard.ListNsfsMounts(), m => m.StartsWith(TestRoot, StringComparison.Ordinal));
    }

    [RootFact]
    public void AUserNamespaceLeftWithoutItsNetworkNamespaceIsSwept()
    {
        NetworkNamespace.CreateOwned(Manager, "orphan", Mapping).Dispose();
        NetworkNamespace.CreateOwned(Manager, "kept", Mapping).Dispose();
        string net = Manager.PathOf("orphan");
        // What a crash in the middle of Delete leaves: the network namespace gone, its user namespace still mounted.
        Cmd.Check("umount", net);
        File.Delete(net);

        Assert.Equal(1, Manager.RemoveOrphanUserNamespaces());
        Assert.False(File.Exists(NamespaceManager.UserNamespacePathFor(net)));
        Assert.True(File.Exists(NamespaceManager.UserNamespacePathFor(Manager.PathOf("kept"))));
        Manager.Delete("kept");
        Assert.DoesNotContain(LeakGuard.ListNsfsMounts(), m => m.StartsWith(TestRoot, StringComparison.Ordinal));
    }

    /// <summary>linux/nsfs.h: <c>_IO(0xb7, 0x1)</c>, an fd of the user namespace owning a namespace.</summary>
    private const nuint NsGetUserns = 0xb701;

    private static unsafe ulong OwnerInode(NetnsHandle handle)
    {
        int fd = Berth.Linux.Interop.Libc.Ioctl(handle, NsGetUserns, null);
        Assert.True(fd >= 0, "NS_GET_USERNS failed");
        using var owner = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        return InodeOf($"/proc/{Environment.ProcessId}/fd/{fd}");
    }

    /// <summary>A namespace's inode, from its nsfs file or a /proc link to it.</summary>
    private static ulong InodeOf(string path) =>
        ulong.Parse(Cmd.Check("stat", "-L", "-c", "%i", path).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
