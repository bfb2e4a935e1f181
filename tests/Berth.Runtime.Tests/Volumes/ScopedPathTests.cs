using Berth.Runtime.Volumes;

namespace Berth.Runtime.Tests.Volumes;

public sealed class ScopedPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-scoped-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void SymlinksAndDotDotNeverLeaveTheRoot()
    {
        Directory.CreateDirectory(Path.Combine(_root, "real", "sub"));
        File.CreateSymbolicLink(Path.Combine(_root, "abs"), "/etc");
        File.CreateSymbolicLink(Path.Combine(_root, "rel"), "real/sub");
        File.CreateSymbolicLink(Path.Combine(_root, "up"), "../../../..");
        File.CreateSymbolicLink(Path.Combine(_root, "loop"), "loop");

        Assert.Equal(_root + "/etc", ScopedPath.Resolve(_root, "/abs"));
        Assert.Equal(_root + "/etc/passwd", ScopedPath.Resolve(_root, "/abs/passwd"));
        Assert.Equal(_root + "/real/sub/x", ScopedPath.Resolve(_root, "/rel/x"));
        Assert.Equal(_root + "/data", ScopedPath.Resolve(_root, "/up/data"));
        Assert.Equal(_root + "/x", ScopedPath.Resolve(_root, "/../../x"));
        Assert.Equal(_root + "/missing/deeper", ScopedPath.Resolve(_root, "/missing/./deeper/"));
        Assert.Throws<Core.Errors.BerthException>(() => ScopedPath.Resolve(_root, "/loop"));
    }
}
