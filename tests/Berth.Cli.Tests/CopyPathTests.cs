using System.Formats.Tar;
using Berth.Cli.Commands.Containers;

namespace Berth.Cli.Tests;

/// <summary>docker cp's argument shapes and go-archive's copy rules, and the local archive both ways.</summary>
public sealed class CopyPathTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("berth-cp-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Theory]
    [InlineData("c1:/tmp/x", "c1", "/tmp/x")]
    [InlineData("c1:", "c1", "")]
    [InlineData("c1:rel/x", "c1", "rel/x")]
    [InlineData("/abs/file:name", "", "/abs/file:name")]
    [InlineData("./file:name", "", "./file:name")]
    [InlineData("file", "", "file")]
    [InlineData("-", "", "-")]
    public void ArgumentsNameAContainerUnlessLocalByShape(string argument, string container, string path) =>
        Assert.Equal((container, path), CopyPaths.SplitArgument(argument));

    [Theory]
    [InlineData("/w", "dir/.", "/w/dir/.")]
    [InlineData("/w", "dir/", "/w/dir/")]
    [InlineData("/w", "./a/../b", "/w/b")]
    [InlineData("/w", "/x//y/", "/x/y/")]
    [InlineData("/w", ".", "/w/.")]
    public void LocalPathsKeepTheirTrailingDotOrSlash(string cwd, string path, string expected) =>
        Assert.Equal(expected, CopyPaths.ResolveLocal(path, cwd));

    [Theory]
    [InlineData("/a/b", "/a", "b")]
    [InlineData("/a/b/", "/a", "b")]
    [InlineData("/a/b/.", "/a/b", ".")]
    [InlineData("b", ".", "b")]
    public void SplitDirectoryEntryKeepsATrailingDot(string path, string directory, string entry) =>
        Assert.Equal((directory, entry), CopyPaths.SplitDirectoryEntry(path));

    [Theory]
    [InlineData("a", "a", "new", "new")]
    [InlineData("a/x", "a", "new", "new/x")]
    [InlineData("ab/x", "a", "new", "ab/x")]
    [InlineData("./x", ".", "new", "new/x")]
    [InlineData("/x", "", "n", "n/x")]
    public void RebaseReplacesOnlyALeadingElement(string name, string oldBase, string newBase, string expected) =>
        Assert.Equal(expected, CopyPaths.Rebase(name, oldBase, newBase));

    [Fact]
    public void ResolvedLinksKeepTheNameTheUserGave()
    {
        Assert.Equal(("/t/target", "link"), CopyPaths.RebaseName("/d/link", "/t/target"));
        Assert.Equal(("/t/target/", "link"), CopyPaths.RebaseName("/d/link/", "/t/target"));
        Assert.Equal(("/t/target/.", ""), CopyPaths.RebaseName("/d/link/.", "/t/target")); // both end in ".": nothing to rename
        Assert.Equal(("/t/same", ""), CopyPaths.RebaseName("/d/same", "/t/same"));
    }

    [Fact]
    public void CopyShapesFollowTheDestination()
    {
        var directory = new CopySource("/src/tree", IsDirectory: true);
        var file = new CopySource("/src/a.txt", IsDirectory: false);

        // Into an existing directory: as is.
        var into = CopyPlan.Prepare(directory, new CopyDestination("/tmp/exist", Exists: true, IsDirectory: true));
        Assert.Equal(("/tmp/exist", "tree/x"), (into.Directory, into.Rename("tree/x")));

        // A new name: into the parent, the top entry renamed.
        var renamed = CopyPlan.Prepare(directory, new CopyDestination("/tmp/new", Exists: false, IsDirectory: false));
        Assert.Equal(("/tmp", "new/x"), (renamed.Directory, renamed.Rename("tree/x")));

        // A file onto a file.
        var onto = CopyPlan.Prepare(file, new CopyDestination("/tmp/file", Exists: true, IsDirectory: false));
        Assert.Equal(("/tmp", "file"), (onto.Directory, onto.Rename("a.txt")));

        // A symlink's target archived under the link's name, then renamed for a new destination.
        var viaLink = CopyPlan.Prepare(new CopySource("/src/target", false, "link"), new CopyDestination("/tmp/copy", false, false));
        Assert.Equal("copy", viaLink.Rename("target"));

        Assert.Equal("cannot copy directory", Assert.Throws<ArgumentException>(() => CopyPlan.Prepare(directory, new CopyDestination("/tmp/file", true, false))).Message);
        Assert.Equal("no such directory", Assert.Throws<ArgumentException>(() => CopyPlan.Prepare(file, new CopyDestination("/tmp/nodir/", false, false))).Message);
    }

    [Fact]
    public void PathStatHeaderDecodes()
    {
        // What berthd (and moby) send for /bin/sh -> busybox: ModeSymlink | 0777.
        var header = Convert.ToBase64String("""{"name":"sh","size":7,"mode":134218239,"mtime":"2026-12-06T19:00:00Z","linkTarget":"busybox"}"""u8);
        var stat = ContainerPathStat.FromHeader([header])!;
        Assert.Equal(("sh", true, false, "busybox", null), (stat.Name, stat.IsSymlink, stat.IsDirectory, stat.LinkTarget, stat.OutputProblem()));
        Assert.Equal("got a device", new ContainerPathStat("null", 0, (1u << 26) | (1u << 21), "").OutputProblem());
    }

    [Fact]
    public void ArchiveRoundTripsATreeWithLinksByteExact()
    {
        var source = Path.Combine(root, "src", "tree");
        Directory.CreateDirectory(Path.Combine(source, "sub"));
        File.WriteAllText(Path.Combine(source, "a.txt"), "hello\n");
        File.WriteAllBytes(Path.Combine(source, "sub", "bin"), [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))]);
        File.CreateSymbolicLink(Path.Combine(source, "link"), "a.txt");
        File.CreateSymbolicLink(Path.Combine(source, "sub", "up"), "../a.txt");
        File.SetUnixFileMode(Path.Combine(source, "sub"), (UnixFileMode)0x1E9); // 0751

        using var archive = new MemoryStream();
        LocalArchive.Write(Path.Combine(root, "src"), "tree", name => CopyPaths.Rebase(name, "tree", "copy"), archive);
        archive.Position = 0;
        var names = new List<string>();
        using (var reader = new TarReader(archive, leaveOpen: true))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                names.Add(entry.Name + (entry.EntryType == TarEntryType.SymbolicLink ? " -> " + entry.LinkName : ""));
            }
        }

        Assert.Equal(["copy/", "copy/a.txt", "copy/link -> a.txt", "copy/sub/", "copy/sub/bin", "copy/sub/up -> ../a.txt"], names);

        var destination = Directory.CreateDirectory(Path.Combine(root, "dst")).FullName;
        archive.Position = 0;
        LocalArchive.Extract(archive, destination, name => name);
        var copy = Path.Combine(destination, "copy");
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(copy, "a.txt")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(source, "sub", "bin")), File.ReadAllBytes(Path.Combine(copy, "sub", "bin")));
        Assert.Equal("a.txt", new FileInfo(Path.Combine(copy, "link")).LinkTarget);
        Assert.Equal("../a.txt", new FileInfo(Path.Combine(copy, "sub", "up")).LinkTarget);
        Assert.Equal((UnixFileMode)0x1E9, File.GetUnixFileMode(Path.Combine(copy, "sub")));
        Assert.Equal(new DateTime(File.GetLastWriteTimeUtc(Path.Combine(source, "sub", "bin")).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Utc),
            File.GetLastWriteTimeUtc(Path.Combine(copy, "sub", "bin")));
    }

    [Fact]
    public void ExtractRefusesEntriesAndLinksThatLeaveTheDestination()
    {
        foreach (var (type, name, link) in new[] { (TarEntryType.RegularFile, "../escape", ""), (TarEntryType.SymbolicLink, "up", "../../etc") })
        {
            using var archive = new MemoryStream();
            using (var writer = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
            {
                var entry = new PaxTarEntry(type, name);
                if (link.Length > 0)
                {
                    entry.LinkName = link;
                }

                writer.WriteEntry(entry);
            }

            archive.Position = 0;
            var destination = Directory.CreateDirectory(Path.Combine(root, "d" + type)).FullName;
            Assert.Contains("is outside of", Assert.Throws<ArgumentException>(() => LocalArchive.Extract(archive, destination, n => n)).Message, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(destination));
            Assert.False(File.Exists(Path.Combine(root, "escape")));
        }
    }

    [Fact]
    public void ExtractNeverReplacesADirectoryWithAFile()
    {
        var destination = Directory.CreateDirectory(Path.Combine(root, "d")).FullName;
        Directory.CreateDirectory(Path.Combine(destination, "x"));
        using var archive = new MemoryStream();
        using (var writer = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "x"));
        }

        archive.Position = 0;
        Assert.StartsWith("cannot overwrite directory", Assert.Throws<ArgumentException>(() => LocalArchive.Extract(archive, destination, n => n)).Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(destination, "x")));
    }
}
