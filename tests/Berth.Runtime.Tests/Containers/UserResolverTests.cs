using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Berth.Runtime.Containers.Oci;

namespace Berth.Runtime.Tests.Containers;

public sealed class UserResolverTests : IDisposable
{
    private readonly string rootfs = Directory.CreateTempSubdirectory("berth-rootfs-").FullName;

    public UserResolverTests()
    {
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        File.WriteAllText(Path.Combine(rootfs, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nwww:x:33:34:www:/var/www:/bin/false\n");
        File.WriteAllText(Path.Combine(rootfs, "etc/group"), "root:x:0:\nstaff:x:50:\nwheel:x:10:root,www\naudio:x:29:www\n");
    }

    public void Dispose() => Directory.Delete(rootfs, recursive: true);

    [Theory]
    [InlineData("", 0u, 0u)]
    [InlineData("1000", 1000u, 0u)]
    [InlineData("33", 33u, 34u)]
    [InlineData("1000:1001", 1000u, 1001u)]
    [InlineData("www", 33u, 34u)]
    [InlineData("www:staff", 33u, 50u)]
    [InlineData("33:staff", 33u, 50u)]
    public void ResolvesLikeDocker(string user, uint uid, uint gid)
    {
        OciUser resolved = UserResolver.Resolve(user, rootfs);
        Assert.Equal((uid, gid), (resolved.Uid, resolved.Gid));
    }

    [Fact]
    public void UnknownNamesAreInvalidArguments()
    {
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => UserResolver.Resolve("nobody", rootfs)).Kind);
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => UserResolver.Resolve("www:video", rootfs)).Kind);
    }

    // Docker 20.10.24 (docker run --user U --group-add …; id): the primary group first, memberships only without ":group".
    [Theory]
    [InlineData("", new string[0], new uint[] { 0, 10 })]
    [InlineData("www", new string[0], new uint[] { 34, 10, 29 })]
    [InlineData("33", new[] { "staff", "4242" }, new uint[] { 34, 10, 29, 50, 4242 })]
    [InlineData("1000", new[] { "audio" }, new uint[] { 0, 29 })]
    [InlineData("www:staff", new string[0], new uint[] { 50 })]
    [InlineData("33:0", new[] { "wheel" }, new uint[] { 0, 10 })]
    public void SupplementaryGroupsAreThePrimaryGroupTheUsersMembershipsThenGroupAdd(string user, string[] groupAdd, uint[] expected) =>
        Assert.Equal(expected, UserResolver.Resolve(user, rootfs, groupAdd).AdditionalGids ?? []);

    [Fact]
    public void AnUnknownAddedGroupIsAnInvalidArgument() =>
        Assert.Contains("Unable to find group video", Assert.Throws<BerthException>(() => UserResolver.Resolve("", rootfs, ["video"])).Message, StringComparison.Ordinal);
}
