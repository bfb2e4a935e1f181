using System.Formats.Tar;
using Berth.Core.Errors;
using Berth.Runtime.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Runtime.Tests.Images;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LayerUnpackerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-unpack-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static MemoryStream Tar(params TarEntry[] entries)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        stream.Position = 0;
        return stream;
    }

    private static PaxTarEntry File(string name, string content)
    {
        return new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) };
    }

    private async Task<LayerUnpackResult> UnpackAsync(MemoryStream tar)
    {
        string target = Path.Join(_dir, "layer");
        Directory.CreateDirectory(target);
        return await new LayerUnpacker(NullLogger.Instance).UnpackAsync(tar, target);
    }

    [Fact]
    public async Task Unpacks_files_with_diff_id_of_the_uncompressed_tar()
    {
        using var tar = Tar(new PaxTarEntry(TarEntryType.Directory, "etc/") { Mode = (UnixFileMode)0b111_101_101 },
            File("etc/hostname", "box\n"));
        string expected = Digests.Of(tar.ToArray());
        var result = await UnpackAsync(tar);
        Assert.Equal(expected, result.DiffId);
        Assert.Equal(4, result.Size);
        Assert.Equal("box\n", await System.IO.File.ReadAllTextAsync(Path.Join(_dir, "layer", "etc", "hostname")));
    }

    [Fact]
    public async Task Refuses_dot_dot_escape()
    {
        using var tar = Tar(File("../evil", "x"));
        var ex = await Assert.ThrowsAsync<BerthException>(() => UnpackAsync(tar));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.False(System.IO.File.Exists(Path.Join(_dir, "evil")));
    }

    [Fact]
    public async Task Refuses_writing_through_a_symlink()
    {
        string outside = Path.Join(_dir, "outside");
        Directory.CreateDirectory(outside);
        using var tar = Tar(new PaxTarEntry(TarEntryType.SymbolicLink, "lib") { LinkName = outside }, File("lib/pwned", "x"));
        var ex = await Assert.ThrowsAsync<BerthException>(() => UnpackAsync(tar));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("symlink", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    [Fact]
    public async Task Refuses_hardlink_to_outside()
    {
        using var tar = Tar(new PaxTarEntry(TarEntryType.HardLink, "passwd") { LinkName = "../../etc/passwd" });
        var ex = await Assert.ThrowsAsync<BerthException>(() => UnpackAsync(tar));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
    }
}
