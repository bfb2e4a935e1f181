using Berth.Core.Errors;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

public sealed class LayerPathTests
{
    [Theory]
    [InlineData("./etc/passwd", LayerEntryKind.Normal, "etc/passwd")]
    [InlineData("etc//x/", LayerEntryKind.Normal, "etc/x")]
    [InlineData("a/./b/../c", LayerEntryKind.Normal, "a/c")]
    [InlineData("./", LayerEntryKind.Root, "")]
    [InlineData(".", LayerEntryKind.Root, "")]
    [InlineData("etc/.wh.passwd", LayerEntryKind.Whiteout, "etc/passwd")]
    [InlineData(".wh.tmp", LayerEntryKind.Whiteout, "tmp")]
    [InlineData("./var/cache/.wh..wh..opq", LayerEntryKind.Opaque, "var/cache")]
    [InlineData(".wh..wh..opq", LayerEntryKind.Opaque, "")]
    [InlineData("etc/x.wh.y", LayerEntryKind.Normal, "etc/x.wh.y")]
    public void Classifies_entries(string name, LayerEntryKind kind, string path)
    {
        var plan = LayerPath.Classify(name);
        Assert.Equal(kind, plan.Kind);
        Assert.Equal(path, plan.Path);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("/etc/passwd")]
    [InlineData("./../x")]
    [InlineData("a/.wh..")]
    public void Refuses_paths_escaping_the_root(string name)
    {
        var ex = Assert.Throws<BerthException>(() => LayerPath.Classify(name));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
    }
}
