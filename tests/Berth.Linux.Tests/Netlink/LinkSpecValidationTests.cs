using Berth.Core.Errors;
using Berth.Linux.Interop;
using Berth.Linux.Links;

namespace Berth.Linux.Tests.Netlink;

public sealed class LinkSpecValidationTests
{
    [Fact]
    public void SixteenCharacterNameIsRejectedBeforeTheKernelSeesIt()
    {
        var e = Assert.Throws<BerthException>(() => new BridgeSpec("abcdefghijklmnop"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("\"abcdefghijklmnop\" is 16 bytes long; Linux allows at most 15", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("..")]
    [InlineData("eth0:1")]
    public void InvalidNamesAreRejected(string name)
    {
        var e = Assert.Throws<BerthException>(() => LinkName.Validate(name));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void VeryLongPeerNameIsRejectedToo()
    {
        Assert.Throws<BerthException>(() => new VethSpec("vh0", "a-very-long-peer-name"));
    }

    [Fact]
    public void VniIsTwentyFourBits()
    {
        var e = Assert.Throws<BerthException>(() => new VxlanSpec("vx0", 1u << 24));
        Assert.Contains("out of range", e.Message, StringComparison.Ordinal);
        Assert.Equal(VxlanSpec.MaxVni, new VxlanSpec("vx0", VxlanSpec.MaxVni).Vni);
    }

    [Theory]
    [InlineData(Errno.ENODEV, ErrorKind.NotFound)]
    [InlineData(Errno.EEXIST, ErrorKind.Conflict)]
    [InlineData(Errno.EBUSY, ErrorKind.Conflict)]
    [InlineData(Errno.EOPNOTSUPP, ErrorKind.NotSupported)]
    [InlineData(Errno.ERANGE, ErrorKind.InvalidArgument)]
    [InlineData(Errno.EPERM, ErrorKind.Forbidden)]
    [InlineData(Errno.EIO, ErrorKind.Internal)]
    public void ErrnoMapsToAKind(Errno errno, ErrorKind kind)
    {
        Assert.Equal(kind, KernelException.KindOf(errno));
        var e = new KernelException(errno, "cannot do it", "kernel text");
        Assert.Equal(kind, e.Kind);
        Assert.Contains(errno.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains("kernel says: kernel text", e.Message, StringComparison.Ordinal);
    }
}
