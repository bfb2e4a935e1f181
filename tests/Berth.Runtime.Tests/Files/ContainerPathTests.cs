using Berth.Core.Errors;
using Berth.Runtime.Files;

namespace Berth.Runtime.Tests.Files;

/// <summary>Docker's path rules for <c>docker cp</c>: cleaning with the trailer kept, Go file modes, symlinks followed inside the root.</summary>
public sealed class ContainerPathTests
{
    [Theory]
    [InlineData("etc/passwd", "/etc/passwd")]
    [InlineData("/a//b/./c/", "/a/b/c/")]
    [InlineData("/a/b/.", "/a/b/.")]
    [InlineData("/a/b/./", "/a/b/./")]
    [InlineData("/../../etc", "/etc")]
    [InlineData("/a/../..", "/")]
    [InlineData("/", "/")]
    [InlineData("/.", "/.")]
    public void Paths_are_cleaned_as_go_does_keeping_a_trailing_dot_or_slash(string given, string expected) =>
        Assert.Equal(expected, ContainerPathText.CleanPreservingTrailer(given));

    [Theory]
    [InlineData("/a/b", "b", "/a")]
    [InlineData("/a/b/", "b", "/a")]
    [InlineData("/a/b/.", ".", "/a/b")]
    [InlineData("/a", "a", "/")]
    public void Base_and_parent_are_gos(string path, string name, string parent)
    {
        Assert.Equal(name, ContainerPathText.Base(path));
        Assert.Equal(parent, ContainerPathText.Parent(path));
    }

    [Theory]
    [InlineData(0x81A4u, 0x1A4u)]                                   // regular 0644
    [InlineData(0x41EDu, GoFileMode.Dir | 0x1EDu)]                   // directory 0755
    [InlineData(0xA1FFu, GoFileMode.Symlink | 0x1FFu)]               // symlink 0777
    [InlineData(0x43FFu, GoFileMode.Dir | GoFileMode.Sticky | 0x1FFu)] // /tmp 1777
    [InlineData(0x89E9u, GoFileMode.Setuid | 0x1E9u)]                 // 4751
    [InlineData(0x21B6u, GoFileMode.Device | GoFileMode.CharDevice | 0x1B6u)]
    [InlineData(0x1180u, GoFileMode.NamedPipe | 0x180u)]
    public void Unix_modes_become_go_file_modes(uint unix, uint go) => Assert.Equal(go, GoFileMode.FromUnix(unix));

    [Fact]
    public void A_directory_mode_in_the_stat_header_is_the_number_docker_sends() =>
        Assert.Equal(2147484141u, GoFileMode.FromUnix(0x41ED));

    private static readonly Dictionary<string, string> Links = new()
    {
        ["/etc/alias"] = "/etc/real",
        ["/up"] = "../../../../..",
        ["/hostish"] = "../../../../etc/shadow",
        ["/rel"] = "etc/alias",
        ["/loop"] = "/loop",
        ["/dangling"] = "/nowhere/file",
    };

    [Theory]
    [InlineData("/etc/alias", "/etc/real")]
    [InlineData("/rel", "/etc/real")]
    [InlineData("/up/etc/passwd", "/etc/passwd")]
    [InlineData("/hostish", "/etc/shadow")]
    [InlineData("/dangling", "/nowhere/file")]
    [InlineData("/a/../etc/alias", "/etc/real")]
    public void Symlinks_are_followed_inside_the_root_and_never_above_it(string path, string expected) =>
        Assert.Equal(expected, ScopedLinkResolver.Resolve(path, p => Links.GetValueOrDefault(p)));

    [Fact]
    public void A_symlink_loop_is_an_error_not_a_hang() =>
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => ScopedLinkResolver.Resolve("/loop", p => Links.GetValueOrDefault(p))).Kind);

    [Fact]
    public async Task A_file_that_changes_size_while_archived_is_cut_or_padded_to_its_header()
    {
        using var shrunk = new FixedLengthReadStream(new MemoryStream([1, 2]), 5);
        using var copy = new MemoryStream();
        await shrunk.CopyToAsync(copy);
        Assert.Equal(new byte[] { 1, 2, 0, 0, 0 }, copy.ToArray());

        using var grown = new FixedLengthReadStream(new MemoryStream([1, 2, 3, 4]), 2);
        using var cut = new MemoryStream();
        grown.CopyTo(cut);
        Assert.Equal(new byte[] { 1, 2 }, cut.ToArray());
    }
}
