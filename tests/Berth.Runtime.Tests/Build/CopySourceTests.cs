using Berth.Core.Errors;
using Berth.Linux.Filesystems;
using Berth.Runtime.Build;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests.Build;

/// <summary>COPY's sources and --chown as Docker 20.10's classic builder reads them, with its words for what is wrong.</summary>
public sealed class CopySourceTests : IDisposable
{
    private readonly string context = Directory.CreateTempSubdirectory("berth-context-").FullName;

    public CopySourceTests()
    {
        File.WriteAllText(Path.Combine(context, "present.txt"), "here\n");
        Directory.CreateDirectory(Path.Combine(context, "etc"));
        File.WriteAllText(Path.Combine(context, "etc", "passwd"), "root:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n");
        File.WriteAllText(Path.Combine(context, "etc", "group"), "root:x:0:\napp:x:1001:\n");
    }

    public void Dispose() => Directory.Delete(context, recursive: true);

    [Fact]
    public void APatternThatMatchesNothingAddsNothingButACopyOfNothingFails()
    {
        using var root = DirectoryHandle.Open(context);
        Assert.Equal(["present.txt"], CopySource.Resolve(root, ["miss*.txt", "present.txt"]).Select(s => s.Name));
        var none = Assert.Throws<BerthException>(() => CopySource.Resolve(root, ["miss*.txt"]));
        Assert.Equal("no source files were specified", none.Message);
    }

    [Theory]
    [InlineData("../outside", "../outside")]
    [InlineData("/../present.txt", "../present.txt")]
    [InlineData("./a/../../x", "a/../../x")]
    public void ASourceClimbingOutOfTheContextIsForbidden(string source, string named)
    {
        using var root = DirectoryHandle.Open(context);
        var error = Assert.Throws<BerthException>(() => CopySource.Resolve(root, [source]));
        Assert.Equal($"forbidden path outside the build context: {named} ()", error.Message);
    }

    [Fact]
    public void DotDotThatStaysInsideIsFine()
    {
        using var root = DirectoryHandle.Open(context);
        Assert.Equal(["present.txt"], CopySource.Resolve(root, ["etc/../present.txt"]).Select(s => s.Name));
    }

    [Theory]
    [InlineData("app", 1000u, 1001u)] // a user alone is looked up as the group too (moby parseChownFlag)
    [InlineData("app:0", 1000u, 0u)]
    [InlineData("5:6", 5u, 6u)]
    public void ChownNamesAreLookedUpInTheImage(string chown, uint uid, uint gid)
    {
        using var root = DirectoryHandle.Open(context);
        Assert.Equal((uid, gid), UserResolver.ResolveOwner(chown, root));
    }

    [Theory]
    [InlineData("nobody:0", "unable to convert uid/gid chown string to host mapping: can't find uid for user nobody: no such user: nobody")]
    [InlineData("0:staff", "unable to convert uid/gid chown string to host mapping: can't find gid for group staff: no such group: staff")]
    [InlineData("a:b:c", "unable to convert uid/gid chown string to host mapping: invalid chown string format: a:b:c")]
    public void ChownFailuresAreDockersWords(string chown, string message)
    {
        using var root = DirectoryHandle.Open(context);
        var error = Assert.Throws<BerthException>(() => UserResolver.ResolveOwner(chown, root));
        Assert.Equal((ErrorKind.InvalidArgument, message), (error.Kind, error.Message));
    }
}
