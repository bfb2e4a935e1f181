using Berth.Linux.Filesystems;
using Berth.Runtime.Volumes;

namespace Berth.Runtime.Tests.Volumes;

public sealed class VolumeCopierTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-copier-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void AnEmptyVolumeGetsTheTreeWithModesTimesLinksAndTheSourceDirectorysMode()
    {
        string source = Path.Combine(_root, "image-data");
        string volume = Path.Combine(_root, "volume");
        Directory.CreateDirectory(Path.Combine(source, "nested"));
        Directory.CreateDirectory(volume);
        File.WriteAllText(Path.Combine(source, "nested", "file"), "content");
        File.SetUnixFileMode(Path.Combine(source, "nested", "file"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var modified = new DateTime(2020, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(source, "nested", "file"), modified);
        File.CreateSymbolicLink(Path.Combine(source, "link"), "nested/file");
        File.CreateSymbolicLink(Path.Combine(source, "dangling"), "/nowhere");
        Assert.Equal(0, Berth.Linux.Interop.Libc.Link(Path.Combine(source, "nested", "file"), Path.Combine(source, "hard")));
        File.SetUnixFileMode(source, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.StickyBit);

        Assert.True(VolumeCopier.CopyIfEmpty(source, volume));

        Assert.Equal("content", File.ReadAllText(Path.Combine(volume, "nested", "file")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(Path.Combine(volume, "nested", "file")));
        Assert.Equal(modified, File.GetLastWriteTimeUtc(Path.Combine(volume, "nested", "file")));
        Assert.Equal("nested/file", new FileInfo(Path.Combine(volume, "link")).LinkTarget);
        Assert.Equal("/nowhere", new FileInfo(Path.Combine(volume, "dangling")).LinkTarget);
        Assert.Equal(NodeStatus.Of(Path.Combine(volume, "nested", "file"))!.Value.Inode, NodeStatus.Of(Path.Combine(volume, "hard"))!.Value.Inode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.StickyBit, File.GetUnixFileMode(volume));
        // The file once (its hard link shares the inode), and each symlink's length ("nested/file", "/nowhere").
        Assert.Equal(7 + 11 + 8, DirectorySize.Of(volume));
    }

    [Fact]
    public void AVolumeWithContentOrASourceThatIsNoDirectoryIsLeftAlone()
    {
        string volume = Path.Combine(_root, "volume");
        Directory.CreateDirectory(volume);
        File.WriteAllText(Path.Combine(volume, "mine"), "x");
        Directory.CreateDirectory(Path.Combine(_root, "src"));
        File.WriteAllText(Path.Combine(_root, "src", "theirs"), "y");

        Assert.False(VolumeCopier.CopyIfEmpty(Path.Combine(_root, "src"), volume));
        Assert.False(File.Exists(Path.Combine(volume, "theirs")));

        string empty = Path.Combine(_root, "empty");
        Directory.CreateDirectory(empty);
        Assert.False(VolumeCopier.CopyIfEmpty(Path.Combine(_root, "src", "theirs"), empty));
        Assert.False(VolumeCopier.CopyIfEmpty(Path.Combine(_root, "absent"), empty));
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty));
    }
}
